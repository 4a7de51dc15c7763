"""The insight dashboard: sign-in for officers, school leads and DSLs, pages and CSV exports of
published figures only (``llais.insight``), the role matrix enforced on every route."""
