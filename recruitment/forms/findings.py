"""How a rule's finding reads on a form: the rule's Vietnamese name and the message next to
the field it concerns, the code and citation in small print for whoever checks the rule."""
from django.utils.html import format_html

from .. import rules as R


def finding_text(finding):
    """“Ngày của văn bản không được sau ngày hôm nay: Ngày … là ngày trong tương lai.” with
    “(Nguyên tắc ghi hồ sơ · DATE_NOT_FUTURE)” in small print."""
    return format_html('{}: {} <small class="muted">({} · {})</small>', finding.title,
                       finding.message, finding.citation, finding.code)


def add_findings(form, findings, *, date_field="event_date"):
    """Puts each hard finding next to its field; a finding about the step's date goes to the
    form's own date field (`date_field`), one about the dossier as a whole above the form."""
    for finding in findings:
        if not finding.hard:
            continue
        field = date_field if finding.field == "event_date" else finding.field
        form.add_error(field if field in form.fields else None, finding_text(finding))


def show_refusal(form, err):
    """A step `perform` refused (WorkflowError): each hard finding next to its field; the
    refusal as a whole above the form when it has no finding or none was hard."""
    if err.findings:
        add_findings(form, err.findings)
        if form.is_valid():  # none was hard: say the refusal as a whole
            form.add_error(None, err.message)
    else:
        form.add_error(None, err.message)


def check_date(form, candidate, day, *, field="event_date", codes=R.ALWAYS):
    """Asks the rules every dated step runs (DATE_NOT_FUTURE, DATE_ORDER) about `day` before
    the step is sent, so their refusal shows on the date the user typed."""
    if day is None or field in form.errors:
        return
    add_findings(form, R.evaluate_only(codes, R.Context(candidate, day)), date_field=field)
