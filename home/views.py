from django.shortcuts import render

from campaigns.selectors import current_campaign
from core.access import public
from core.todos import todos_for
from home.selectors import home_figures
from notices.selectors import latest_notices_for


@public
def home(request):
    """The public landing page for visitors; the workspace summary once signed in."""
    context = {
        "campaign": current_campaign(),
        "latest_notices": latest_notices_for(request.user, limit=5),
    }
    if request.user.is_authenticated:
        context["figures"] = home_figures(request.user)
        context["todos"] = todos_for(request.user)
        return render(request, "home/home.html", context)
    return render(request, "home/landing.html", context)
