"""The pages of every kind of file the register takes in: upload, check, confirm, problems, template.

Each app lists them with `import_urls(spec)`; what differs between kinds is declared in
their `ImportSpec` (core.imports).
"""

from datetime import date
from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from core.downloads import CSV, XLSX, attachment
from core.forms import SpreadsheetForm
from core.imports import ImportSpec, import_check, import_commit, import_get, import_summary, import_template
from core.spreadsheets import problems_csv, read_upload

# The check page shows this many problems; the CSV file has them all.
PROBLEMS_SHOWN = 500


def import_urls(spec: ImportSpec) -> list:
    """The addresses of a kind of file's pages: path/ to upload, paths/<id>/ for each file uploaded."""
    urls = [
        path(f"{spec.path}/", partial(import_upload, spec=spec), name=spec.name),
        path(f"{spec.path}s/<uuid:public_id>/", partial(import_detail, spec=spec), name=f"{spec.name}_detail"),
        path(
            f"{spec.path}s/<uuid:public_id>/confirm/",
            require_POST(partial(import_confirm, spec=spec)),
            name=f"{spec.name}_confirm",
        ),
        path(
            f"{spec.path}s/<uuid:public_id>/problems.csv",
            partial(import_problems, spec=spec),
            name=f"{spec.name}_problems",
        ),
    ]
    if spec.template:
        urls.append(
            path(
                f"{spec.path}/template.csv", partial(import_template_download, spec=spec), name=f"{spec.name}_template"
            )
        )
    return urls


def import_form(spec: ImportSpec, data=None, files=None) -> SpreadsheetForm:
    return SpreadsheetForm(data, files, label=spec.words.label, hint=spec.words.hint)


def import_page(request, spec: ImportSpec, form: SpreadsheetForm | None = None):
    """The page a file is uploaded from, with the form as it stands."""
    context = {"form": form or import_form(spec), "kind": spec, "columns": spec.column_guide()}
    return render(request, spec.page, context | spec.page_context(request.user))


def import_upload(request, *, spec: ImportSpec):
    if spec.scope(request.user) is None:
        raise Http404("Not found")
    if spec.home and request.method != "POST":
        return redirect(spec.home)
    form = import_form(spec, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        upload, _plan = import_check(
            spec=spec,
            user=request.user,
            filename=file.name,
            content=read_upload(file, spec.max_bytes),
            today=date.today(),
        )
        return redirect(f"{spec.name}_detail", public_id=upload.public_id)
    return import_page(request, spec, form)


def import_detail(request, public_id, *, spec: ImportSpec):
    upload = import_get(spec=spec, user=request.user, public_id=public_id)
    summary = import_summary(upload)
    context = {
        "upload": upload,
        "summary": summary,
        "problems": summary.problems[:PROBLEMS_SHOWN],
        "problem_count": len(summary.problems),
        "kind": spec,
        "home_url": reverse(spec.home or spec.name),
    }
    return render(request, "import_detail.html", context)


def import_confirm(request, public_id, *, spec: ImportSpec):
    upload = import_get(spec=spec, user=request.user, public_id=public_id)
    try:
        plan = import_commit(spec=spec, user=request.user, upload=upload, today=date.today())
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect(f"{spec.name}_detail", public_id=upload.public_id)
    new, changed = len(plan.new), len(plan.changed)
    if not (new or changed):
        messages.success(
            request, f"Nothing to {spec.words.verb}: every {spec.words.one} in the file is already recorded."
        )
        return redirect(spec.after)
    added = f"{new} {spec.words.one if new == 1 else spec.words.many}"
    messages.success(request, spec.words.done.format(added=added, new=new, changed=changed))
    return redirect(spec.after)


def import_problems(request, public_id, *, spec: ImportSpec):
    upload = import_get(spec=spec, user=request.user, public_id=public_id)
    return attachment(problems_csv(import_summary(upload).problems), f"problems-{upload.filename}.csv", CSV)


def import_template_download(request, *, spec: ImportSpec):
    if spec.scope(request.user) is None:
        raise Http404("Not found")
    stem = spec.path.split("/")[0]
    if request.GET.get("format") == "xlsx":
        body = import_template(spec=spec, user=request.user, as_xlsx=True)
        return attachment(body, f"{stem}-template.xlsx", XLSX)
    return attachment(import_template(spec=spec, user=request.user), f"{stem}-template.csv", CSV)
