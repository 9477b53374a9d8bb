"""Nothing of this app is in Django's admin: it is business data, changed only through
the platform's own pages (whose services audit every change), and the admin belongs to
the system administrator, who has no business duty (三员分立, core.admin_site)."""
