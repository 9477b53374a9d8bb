from django.core.paginator import Paginator

PER_PAGE = 25


def paginate(request, queryset, *, per_page: int = PER_PAGE):
    """A page of `queryset` sliced in the database; a bad page number gives the nearest page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
