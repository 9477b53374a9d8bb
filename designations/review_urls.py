# The yearly review pages (their author replaces this placeholder).
urlpatterns: list = []
