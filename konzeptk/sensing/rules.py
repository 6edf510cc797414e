"""Who may do what on the urban data platform (django-rules).

Reading is public. API tokens of an organisation (which write through the SensorThings API) are managed by the
organisation's admins and by platform administrators.
"""

from __future__ import annotations

import rules

from konzeptk.accounts.rules import is_administrator, is_org_admin

rules.add_perm("sensing.manage_api_tokens", is_org_admin | is_administrator)
