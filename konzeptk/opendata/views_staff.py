"""The staff area of the catalogue: organisations register datasets (a file or an address) with their metadata."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from konzeptk.accounts.models import Organisation, User
from konzeptk.core.errors import DomainError, page_error
from konzeptk.opendata import rules, selectors, services
from konzeptk.opendata.forms import DatasetForm
from konzeptk.opendata.models import Dataset


def _metadata(form: DatasetForm) -> services.Metadata:
    data = form.cleaned_data
    return services.Metadata(
        title=data["title"],
        description=data["description"],
        publisher=data["publisher"],
        themes=tuple(data["themes"]),
        keywords=form.keyword_list(),
        licence=data["licence"],
        frequency=data["frequency"],
        temporal_start=data["temporal_start"],
        temporal_end=data["temporal_end"],
        contact_email=data["contact_email"],
        landing_page=data["landing_page"],
    )


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@login_required
def staff_list(request: HttpRequest) -> HttpResponse:
    organisations = rules.publishing_organisations(_user(request))
    page = Paginator(selectors.staff_datasets(organisations), 50).get_page(request.GET.get("page"))
    return render(request, "opendata/staff_list.html", {"page": page, "organisations": organisations})


def _initial(dataset: Dataset) -> dict[str, object]:
    return {
        "title": dataset.title,
        "description": dataset.description,
        "publisher": dataset.publisher_id,
        "themes": dataset.themes,
        "keywords": ", ".join(dataset.keywords),
        "licence": dataset.licence,
        "frequency": dataset.frequency,
        "temporal_start": dataset.temporal_start,
        "temporal_end": dataset.temporal_end,
        "contact_email": dataset.contact_email,
        "landing_page": dataset.landing_page,
    }


def _new_initial(organisations: list[Organisation]) -> dict[str, object]:
    # a person who publishes for one organisation only does not have to choose it
    return {"frequency": "IRREG", **({"publisher": organisations[0].pk} if len(organisations) == 1 else {})}


@login_required
def staff_edit(request: HttpRequest, name: str | None = None) -> HttpResponse:
    user = _user(request)
    organisations = rules.publishing_organisations(user)
    if not organisations:
        raise Http404(_("Sie gehören zu keiner Organisation, die Datensätze eintragen darf."))
    dataset = selectors.dataset_by_name(name) if name else None
    if name and (dataset is None or not rules.may_edit(user, dataset)):
        raise Http404(_("Diesen Datensatz können Sie hier nicht bearbeiten."))
    form = DatasetForm(
        request.POST or None,
        request.FILES or None,
        organisations=organisations,
        initial=_initial(dataset) if dataset else _new_initial(organisations),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            arguments = {
                "by": user,
                "metadata": _metadata(form),
                "upload": form.cleaned_data["file"],
                "url": form.cleaned_data["url"],
                "file_format": form.cleaned_data["file_format"],
            }
            try:
                if dataset is None:
                    saved = services.dataset_register(**arguments)
                else:
                    saved = services.dataset_update(dataset=dataset, **arguments)
            except DomainError as exc:
                status = page_error(request, exc, form=form)
            else:
                messages.success(request, _("Der Datensatz ist gespeichert und im Katalog."))
                return redirect("opendata:dataset", name=saved.name)
        else:
            status = 400
    return render(request, "opendata/staff_edit.html", {"form": form, "dataset": dataset}, status=status)
