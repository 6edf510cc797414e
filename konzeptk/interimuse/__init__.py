"""The interim-use programme: calls, applications, matching, jury, contracts and the tenants' reports."""
