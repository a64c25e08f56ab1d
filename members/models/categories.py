"""The categories the statistics forms count people by (Hướng dẫn 11-HD/BTCTW, Biểu 2 and
4-BTCTW): general education, professional qualification and occupation. Records keep the
category (a choice) and, for qualification and occupation, the person's own words beside it;
reports group by the category, never by the raw text. `members.categories` reads old free
text into these categories."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Education(models.TextChoices):
    """General education (giáo dục phổ thông)."""

    LITERATE = "literate", _("Biết đọc, biết viết chữ quốc ngữ (chưa tốt nghiệp tiểu học)")
    PRIMARY = "primary", _("Tiểu học")
    LOWER_SECONDARY = "lower_secondary", _("Trung học cơ sở")
    UPPER_SECONDARY = "upper_secondary", _("Trung học phổ thông")


class Qualification(models.TextChoices):
    """Professional qualification (chuyên môn, nghiệp vụ), the highest one held."""

    NONE = "none", _("Chưa qua đào tạo chuyên môn")
    ELEMENTARY = "elementary", _("Sơ cấp, công nhân kỹ thuật")
    INTERMEDIATE = "intermediate", _("Trung cấp")
    COLLEGE = "college", _("Cao đẳng")
    UNIVERSITY = "university", _("Đại học")
    MASTER = "master", _("Thạc sĩ")
    DOCTOR = "doctor", _("Tiến sĩ")


class Occupation(models.TextChoices):
    """Occupation when admitted (nghề nghiệp), as the admitted are counted."""

    WORKER = "worker", _("Công nhân")
    FARMER = "farmer", _("Nông dân")
    CIVIL_SERVANT = "civil_servant", _("Cán bộ, công chức, viên chức")
    ARMY = "army", _("Quân đội")
    POLICE = "police", _("Công an")
    BUSINESS_OWNER = "business_owner", _("Chủ doanh nghiệp tư nhân")
    EMPLOYEE = "employee", _("Người lao động trong doanh nghiệp, hợp tác xã")
    STUDENT = "student", _("Học sinh, sinh viên")
    OTHER = "other", _("Khác")
