"""Residency verification: a person declares a postcode of the city, types the code of a code letter,
or is confirmed in person at a Bürgerbüro. Residency is a property of the person, so it lives in
accounts; participation (levels per action) and insights ask :func:`levels.user_level`.
"""
