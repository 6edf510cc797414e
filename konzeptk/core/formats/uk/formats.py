"""Date input formats: ISO first (see ``konzeptk.core.formats``)."""

from konzeptk.core.formats import date_input_formats

DATE_INPUT_FORMATS = date_input_formats("uk")
