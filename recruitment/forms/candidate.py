"""The candidate form (stage 1: the person and where the branch follows them) and the stage
filter of the candidate list."""
from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Occupation, Qualification

from .. import rules as R
from ..models import Candidate, Education, EducationExemption, Source, Stage
from .findings import check_date
from .pipeline import date_field

# The lowest level each exemption accepts (Hướng dẫn 06-HD/TW, điểm 1.2).
EXEMPTION_FLOOR = {
    EducationExemption.HARDSHIP_AREA: Education.PRIMARY,
    EducationExemption.LITERACY: Education.LITERATE,
}
# Plan years offered: the year the person joins the source pool and the next five.
PLAN_YEARS_AHEAD = 5

LEVELS = [Education.LITERATE, Education.PRIMARY, Education.LOWER_SECONDARY,
          Education.UPPER_SECONDARY]

LABELS = {
    "full_name": _("Họ và tên"), "sex": _("Giới tính"), "ethnicity": _("Dân tộc"),
    "religion": _("Tôn giáo"), "citizen_id": _("Số CCCD"),
    "education": _("Trình độ học vấn (giáo dục phổ thông)"),
    "education_exemption_kind": _("Trường hợp miễn chuẩn học vấn"),
    "education_exemption": _("Văn bản đồng ý miễn chuẩn học vấn (số, ngày)"),
    "married": _("Đã có vợ/chồng"), "adult_children": _("Số con đã thành niên (đủ 18 tuổi)"),
    "qualification": _("Trình độ chuyên môn"), "profession": _("Chuyên ngành, văn bằng"),
    "occupation_group": _("Nghề nghiệp"), "occupation": _("Nghề nghiệp, chức vụ (ghi cụ thể)"),
    "youth_union_member": _("Là đoàn viên Đoàn Thanh niên"),
    "no_youth_union_at_unit": _("Đơn vị không có tổ chức Đoàn"),
    "source": _("Nguồn giới thiệu"), "plan_year": _("Năm dự kiến kết nạp"),
    "age_consent_ref": _("Văn bản đồng ý kết nạp người trên 60 tuổi (số, ngày)"),
    "readmission_consent_ref": _("Văn bản đồng ý kết nạp lại của ban thường vụ tỉnh ủy "
                                 "(tương đương): số, ngày"),
}
HELP = {
    "citizen_id": _("12 chữ số. Hệ thống tra cứu số này trong danh sách đảng viên trước khi "
                    "lưu."),
    "education": _("Theo bằng tốt nghiệp cao nhất: 12/12 là Trung học phổ thông, 9/12 là Trung "
                   "học cơ sở, 5/12 là Tiểu học."),
    "education_exemption_kind": _("Chỉ khi chưa tốt nghiệp trung học cơ sở (Quy định "
                                  "294-QĐ/TW, điểm 1.2.1; Hướng dẫn 06-HD/TW, điểm 1.2)."),
    "education_exemption": _("Bắt buộc khi áp dụng miễn chuẩn học vấn."),
    "qualification": _("Văn bằng chuyên môn cao nhất, theo loại của biểu thống kê."),
    "profession": _("Ví dụ: Cử nhân Luật, Kỹ sư Xây dựng."),
    "occupation_group": _("Nghề nghiệp hiện nay, theo loại của biểu thống kê."),
    "occupation": _("Ví dụ: Giáo viên Trường THCS Hòa Bình."),
    "married": _("Nếu có, lý lịch của vợ/chồng và của cha mẹ vợ/chồng sẽ được thẩm tra."),
    "adult_children": _("Lý lịch của cha mẹ đẻ (hoặc người nuôi dưỡng) và của từng người con đã "
                        "thành niên sẽ được thẩm tra."),
    "readmission_consent_ref": _("Người này từng là đảng viên. Có thể ghi sau, nhưng phải có "
                                 "trước khi cấp trên quyết định kết nạp lại."),
}
# The form's parts, in order (the template shows each as a fieldset).
FIELDSETS = [
    (_("Nhân thân"), ["full_name", "birth_date", "sex", "ethnicity", "religion", "citizen_id"]),
    (_("Học vấn, chuyên môn"), ["education", "education_exemption_kind", "education_exemption",
                                "qualification", "profession", "occupation_group",
                                "occupation"]),
    (_("Gia đình (để thẩm tra lý lịch)"), ["married", "adult_children"]),
    (_("Nguồn giới thiệu"), ["youth_union_member", "no_youth_union_at_unit", "source"]),
    (_("Chi bộ theo dõi"), ["organisation", "added_date", "plan_year", "age_consent_ref"]),
    (_("Kết nạp lại"), ["readmission_consent_ref"]),
]


class CandidateForm(forms.ModelForm):
    """Stage 1: the person and where the branch follows them. `readmission` (or an instance
    that is a readmission) adds the field for the provincial standing committee's consent."""

    birth_date = date_field(_("Ngày sinh"))
    added_date = date_field(_("Ngày vào danh sách dự nguồn"))

    class Meta:
        model = Candidate
        fields = ["full_name", "birth_date", "sex", "ethnicity", "religion", "citizen_id",
                  "education", "education_exemption_kind", "education_exemption", "married",
                  "adult_children", "qualification", "profession", "occupation_group",
                  "occupation", "youth_union_member",
                  "no_youth_union_at_unit", "source", "organisation", "added_date", "plan_year",
                  "age_consent_ref", "readmission_consent_ref"]
        error_messages = {
            "full_name": {"max_length": _("Họ và tên dài tối đa %(limit_value)d ký tự; đã gõ "
                                          "%(show_value)d ký tự.")},
        }
        widgets = {
            "adult_children": forms.NumberInput(attrs={"min": 0, "max": 30, "inputmode":
                                                       "numeric"}),
            "citizen_id": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 12,
                                                 "autocomplete": "off"}),
        }

    def __init__(self, *args, branches, readmission=False, **kwargs):
        super().__init__(*args, **kwargs)
        # Warnings that do not stop the save, by field: [message…].
        self.warnings: dict[str, list[str]] = {}
        # Let a long name be typed whole: the server says the limit and the length typed,
        # where the browser would cut it without a word.
        self.fields["full_name"].widget.attrs.pop("maxlength", None)
        for name, label in LABELS.items():
            self.fields[name].label = label
        for name, text in HELP.items():
            self.fields[name].help_text = text
        self.fields["organisation"].queryset = branches
        self.fields["organisation"].label = _("Chi bộ")
        if len(branches) == 1:
            self.fields["organisation"].initial = branches[0].pk
        self.fields["source"].choices = Source.choices
        self.fields["citizen_id"].required = False
        self.fields["education"].choices = [("", _("— Chọn trình độ —")),
                                            *Education.choices]
        self.fields["qualification"].choices = [("", _("— Chọn trình độ chuyên môn —")),
                                                *Qualification.choices]
        self.fields["occupation_group"].choices = [("", _("— Chọn nghề nghiệp —")),
                                                   *Occupation.choices]
        self.fields["education_exemption_kind"].choices = EducationExemption.choices
        self.fields["adult_children"].required = False  # empty: none
        if not (readmission or self.instance.former_member_id):
            del self.fields["readmission_consent_ref"]

    def show_readmission(self):
        """Add the consent field once a look-up found that the person is a former member."""
        if "readmission_consent_ref" not in self.fields:
            self.fields["readmission_consent_ref"] = Candidate._meta.get_field(
                "readmission_consent_ref").formfield(
                label=LABELS["readmission_consent_ref"],
                help_text=HELP["readmission_consent_ref"])

    def fieldsets(self):
        """[(legend, [bound field…])], leaving out parts with no field (no readmission)."""
        parts = []
        for legend, names in FIELDSETS:
            bound = [self[name] for name in names if name in self.fields]
            for field in bound:
                field.warnings = self.warnings.get(field.name, [])
            if bound:
                parts.append((legend, bound))
        return parts

    def clean_adult_children(self):
        return self.cleaned_data.get("adult_children") or 0

    def clean_birth_date(self):
        born = self.cleaned_data["birth_date"]
        if born > R.today():
            raise forms.ValidationError(_("Ngày sinh %(day)s là ngày trong tương lai.") % {
                "day": born.strftime("%d/%m/%Y")})
        return born

    def warning_messages(self) -> list[str]:
        """The warnings of a valid form, for the page to show once the person is saved."""
        return [w for messages in self.warnings.values() for w in messages]

    def _check_age(self, born, added):
        """Under 18 on the day they join the pool: kept (a source pool may hold younger
        people), but the secretary is told the day they may first be voted on (AGE_MIN is
        judged on the branch vote date: Điều lệ Đảng, Điều 1)."""
        years = R.Parameters().get("AGE_MIN_YEARS", added)
        of_age = R.add_months(born, 12 * years)
        if added < of_age:
            self.warnings.setdefault("birth_date", []).append(_(
                "Người này chưa đủ %(years)s tuổi: đủ %(years)s tuổi ngày %(day)s. Vẫn được "
                "đưa vào danh sách dự nguồn; chi bộ chỉ xét kết nạp từ ngày đó.") % {
                "years": years, "day": of_age.strftime("%d/%m/%Y")})

    def _check_plan_year(self, year, added):
        first = (added or R.today()).year
        last = first + PLAN_YEARS_AHEAD
        if not first <= year <= last:
            self.add_error("plan_year", _(
                "Năm dự kiến kết nạp phải từ %(first)s (năm vào danh sách dự nguồn) đến "
                "%(last)s; đã ghi %(year)s.") % {"first": first, "last": last, "year": year})

    def clean(self):
        data = super().clean()
        born, added = data.get("birth_date"), data.get("added_date")
        check_date(self, Candidate(), added, field="added_date", codes=("DATE_NOT_FUTURE",))
        added = data.get("added_date")
        if born and added:
            self._check_age(born, added)
        if data.get("plan_year") is not None:
            self._check_plan_year(data["plan_year"], added)
        level, kind = data.get("education"), data.get("education_exemption_kind") or ""
        document = (data.get("education_exemption") or "").strip()
        if level and kind:
            if LEVELS.index(level) >= LEVELS.index(Education.LOWER_SECONDARY):
                self.add_error("education_exemption_kind", _(
                    "Đã tốt nghiệp trung học cơ sở thì không cần miễn chuẩn học vấn; hãy chọn "
                    "“Không”."))
            elif LEVELS.index(level) < LEVELS.index(EXEMPTION_FLOOR[kind]):
                self.add_error("education_exemption_kind", _(
                    "Trường hợp này cần ít nhất trình độ “%(floor)s”.") % {
                    "floor": EXEMPTION_FLOOR[kind].label})
            elif not document:
                self.add_error("education_exemption", _(
                    "Áp dụng miễn chuẩn học vấn cần ghi văn bản đồng ý (số, ngày)."))
        if document and not kind and "education_exemption" not in self.errors:
            self.add_error("education_exemption_kind", _(
                "Đã ghi văn bản miễn chuẩn: hãy chọn trường hợp được miễn."))
        return data


STAGE_CHOICES = [("", _("Tất cả giai đoạn")), *Stage.choices]
