"""The city's event calendar: submitted, imported and moderated events, out as iCalendar and JSON-LD."""
