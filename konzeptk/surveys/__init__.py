"""Questionnaires, their questions, the responses people give and the published results."""
