"""Built-in report templates; installed as the package ``regiotwin.templates``."""
