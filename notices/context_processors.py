from django.utils.functional import SimpleLazyObject

from .models import current_notices


def urgent_notices(request):
    """Current urgent notices for `notices/urgent_notices.html`; read only when shown."""
    return {"urgent_notices": SimpleLazyObject(current_notices)}
