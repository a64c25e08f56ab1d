"""A believable demo province: the tree with its staff headcounts and its documents' place and
signer, a few hundred members on their branches' lists (with a few moves and departures in past
years, recorded as movements), and one user per role."""
import random
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from members import registry
from members.history import bulk_history_attrs
from members.models import (
    FROM_THE_START,
    Education,
    Member,
    MemberStatus,
    MovementKind,
    Organisation,
    OrganisationKind,
    Qualification,
    Role,
    RoleGrant,
    StaffHeadcount,
    fold,
)
from members.movements import record_movement, write_present_rows

K = OrganisationKind
DEMO_PASSWORD = "Demo@2026"
# What the demo committee's documents print: "Vĩnh Yên, ngày … tháng … năm …", signed by its
# secretary; every organisation below inherits the place.
DOCUMENT_PLACE = "Vĩnh Yên"
SIGNER_NAME = "Nguyễn Văn Hùng"
# The unit whose staff headcount changed this year (the reports use the count of their date).
HEADCOUNT_CHANGE = ("BVT", 445)
PRESENT_ROWS_CHUNK = 500
# Branches whose staff are all members today (the seeds' "9/9"): code → how many the demo's
# movements and pipeline add there afterwards (SGD-VP: one member moves to STC-NS).
ALL_MEMBERS = {"SGD-VP": -1}

# (code, name, kind, staff headcount, children)
TREE = (
    "DBK", "Đảng bộ Khối các cơ quan tỉnh", K.UPPER_COMMITTEE, None, [
        ("SGD", "Đảng bộ Sở Giáo dục và Đào tạo", K.GRASSROOTS_COMMITTEE, 60, [
            ("SGD-VP", "Chi bộ Văn phòng Sở", K.BRANCH, 9, []),
            ("SGD-TC", "Chi bộ Phòng Tổ chức cán bộ", K.BRANCH, 6, []),
            ("SGD-GDTH", "Chi bộ Phòng Giáo dục Trung học", K.BRANCH, 7, []),
            ("SGD-KT", "Chi bộ Phòng Khảo thí và Kiểm định", K.BRANCH, 8, []),
            ("SGD-TTR", "Chi bộ Thanh tra Sở", K.BRANCH, 7, []),
        ]),
        ("BVT", "Đảng bộ Bệnh viện Đa khoa tỉnh", K.GRASSROOTS_COMMITTEE, 420, [
            ("BVT-NOI", "Đảng bộ bộ phận Khối Nội", K.PARTIAL_COMMITTEE, None, [
                ("BVT-NOI-TM", "Chi bộ Khoa Tim mạch", K.BRANCH, 38, []),
                ("BVT-NOI-HH", "Chi bộ Khoa Hô hấp", K.BRANCH, 31, []),
                ("BVT-NOI-NTH", "Chi bộ Khoa Nội tiết", K.BRANCH, 25, []),
            ]),
            ("BVT-NGOAI", "Chi bộ Khối Ngoại", K.BRANCH, 64, []),
            ("BVT-HC", "Chi bộ Phòng Hành chính quản trị", K.BRANCH, 30, []),
            ("BVT-DD", "Chi bộ Phòng Điều dưỡng", K.BRANCH, 22, []),
        ]),
        ("STC", "Đảng bộ Sở Tài chính", K.GRASSROOTS_COMMITTEE, 85, [
            ("STC-VP", "Chi bộ Văn phòng Sở Tài chính", K.BRANCH, 18, []),
            ("STC-NS", "Chi bộ Phòng Quản lý ngân sách", K.BRANCH, 15, []),
            ("STC-GCS", "Chi bộ Phòng Giá và công sản", K.BRANCH, 14, []),
            ("STC-TTR", "Chi bộ Thanh tra Sở Tài chính", K.BRANCH, 11, []),
        ]),
        ("SNN", "Đảng bộ Sở Nông nghiệp và Môi trường", K.GRASSROOTS_COMMITTEE, 140, [
            ("SNN-VP", "Chi bộ Văn phòng Sở Nông nghiệp", K.BRANCH, 20, []),
            ("SNN-TL", "Chi bộ Chi cục Thủy lợi", K.BRANCH, 26, []),
            ("SNN-KL", "Chi bộ Chi cục Kiểm lâm", K.BRANCH, 40, []),
            ("SNN-DD", "Chi bộ Phòng Đất đai", K.BRANCH, 18, []),
        ]),
        ("CB-HLH", "Chi bộ Hội Liên hiệp Phụ nữ tỉnh", K.GRASSROOTS_BRANCH, 21, []),
        ("CB-TDTN", "Chi bộ Tỉnh đoàn", K.GRASSROOTS_BRANCH, 24, []),
    ],
)

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
            "Dương", "Lý", "Phan", "Võ", "Trịnh", "Đinh", "Lương", "Mai", "Tạ"]
MIDDLE_M = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Thành", "Công", "Xuân", "Tiến", "Mạnh"]
MIDDLE_F = ["Thị", "Thu", "Ngọc", "Thanh", "Minh", "Hồng", "Phương", "Thùy", "Kim", "Diệu"]
GIVEN_M = ["An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hùng", "Khánh", "Long",
           "Nam", "Phúc", "Quân", "Sơn", "Thắng", "Toàn", "Trung", "Tuấn", "Việt", "Vinh"]
GIVEN_F = ["Anh", "Châu", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hương", "Lan",
           "Linh", "Mai", "Nga", "Ngân", "Nhung", "Oanh", "Phượng", "Quyên", "Thảo", "Yến"]
ETHNICITIES = ["Kinh"] * 18 + ["Tày", "Mường", "Nùng"]
RELIGIONS = ["Không"] * 15 + ["Phật giáo", "Công giáo"]
# The member's own words for their qualification, the category the statistics count it in,
# and how common it is among the demo's members.
PROFESSIONS = [
    ("Cử nhân Kinh tế", Qualification.UNIVERSITY, 6),
    ("Thạc sĩ Quản lý giáo dục", Qualification.MASTER, 3),
    ("Bác sĩ đa khoa", Qualification.UNIVERSITY, 4),
    ("Điều dưỡng", Qualification.COLLEGE, 3),
    ("Kỹ sư Thủy lợi", Qualification.UNIVERSITY, 3),
    ("Cử nhân Luật", Qualification.UNIVERSITY, 4),
    ("Cử nhân Tài chính – Ngân hàng", Qualification.UNIVERSITY, 4),
    ("Kỹ sư Lâm nghiệp", Qualification.UNIVERSITY, 2),
    ("Trung cấp Văn thư lưu trữ", Qualification.INTERMEDIATE, 2),
    ("Tiến sĩ Y học", Qualification.DOCTOR, 1),
]
EDUCATIONS = [Education.UPPER_SECONDARY] * 19 + [Education.LOWER_SECONDARY]

USERS = [
    # username, full name, role, organisation code, superuser
    ("quantri", "Quản trị hệ thống", Role.ADMINISTRATOR, "DBK", True),
    ("lanhdao", "Đồng chí Bí thư Đảng ủy Khối", Role.LEADERSHIP, "DBK", False),
    ("bantochuc", "Cán bộ Ban Tổ chức Đảng ủy Khối", Role.ORG_DEPARTMENT, "DBK", False),
    ("vanphong.bvt", "Văn phòng Đảng ủy Bệnh viện", Role.GRASSROOTS_OFFICE, "BVT", False),
    # Every grassroots organisation has its own office, so no demo dossier is sent up and
    # resolved on by one person (separation of duties).
    ("vanphong.sgd", "Văn phòng Đảng ủy Sở GD&ĐT", Role.GRASSROOTS_OFFICE, "SGD", False),
    ("vanphong.stc", "Văn phòng Đảng ủy Sở Tài chính", Role.GRASSROOTS_OFFICE, "STC", False),
    ("vanphong.snn", "Văn phòng Đảng ủy Sở Nông nghiệp", Role.GRASSROOTS_OFFICE, "SNN", False),
    ("vanphong.hlh", "Văn phòng Chi bộ Hội LHPN tỉnh", Role.GRASSROOTS_OFFICE, "CB-HLH", False),
    ("vanphong.tdtn", "Văn phòng Chi bộ Tỉnh đoàn", Role.GRASSROOTS_OFFICE, "CB-TDTN", False),
    ("bithu.tm", "Bí thư Chi bộ Khoa Tim mạch", Role.BRANCH_SECRETARY, "BVT-NOI-TM", False),
    ("bithu.sgdvp", "Bí thư Chi bộ Văn phòng Sở GD&ĐT", Role.BRANCH_SECRETARY, "SGD-VP", False),
]


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu: một đảng bộ khối, các tổ chức cơ sở, đảng viên và tài khoản mẫu."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true",
                            help="Không làm gì nếu cơ sở dữ liệu đã có tổ chức đảng.")
        parser.add_argument("--seed", type=int, default=2026)

    @transaction.atomic
    def handle(self, *args, if_empty=False, seed=2026, **options):
        if Organisation.objects.exists():
            if if_empty:
                self.stdout.write("Cơ sở dữ liệu đã có dữ liệu; bỏ qua dữ liệu mẫu.")
                self._print_logins()
                return
            self.stderr.write(
                "Cơ sở dữ liệu đã có tổ chức đảng; dữ liệu mẫu chỉ nạp vào CSDL trống."
            )
            raise SystemExit(1)
        rng = random.Random(seed)
        orgs = {}
        self._build(TREE, None, orgs)
        today = date.today()
        code, staff = HEADCOUNT_CHANGE
        StaffHeadcount.objects.create(organisation=orgs[code], valid_from=date(today.year, 1, 1),
                                      staff=staff)
        members = []
        card = 1000
        for org in orgs.values():
            if not org.is_branch:
                continue
            for _ in range(self._list_size(rng, org)):
                card += 1
                members.append(self._member(rng, org, card, today))
        for m in members:
            m.search_name = fold(m.full_name)
        members = bulk_create_with_history(members, Member, batch_size=500,
                                           custom_historical_attrs=bulk_history_attrs())
        for start in range(0, len(members), PRESENT_ROWS_CHUNK):
            write_present_rows(members[start:start + PRESENT_ROWS_CHUNK])

        User = get_user_model()
        for username, full_name, role, code, superuser in USERS:
            user = User(username=username, is_staff=superuser, is_superuser=superuser)
            user.first_name = full_name
            user.set_password(DEMO_PASSWORD)
            user.save()
            RoleGrant.objects.create(user=user, role=role, organisation=orgs[code])
        user = User(username="chuaphanquyen", first_name="Người dùng chưa phân quyền")
        user.set_password(DEMO_PASSWORD)
        user.save()
        moved = self._movements(rng, orgs, today, User.objects.get(username="bantochuc"))
        summary = [f"{len(orgs)} tổ chức đảng", f"{len(members)} đảng viên",
                   f"{moved} biến động (chuyển sinh hoạt, từ trần, chuyển đi)"]
        # The apps built on members add their own demo data (candidates, targets), in order.
        for seed in registry.demo_seeders.values():
            phrase = registry.load(seed)(today, rng)
            if phrase:
                summary.append(phrase)
        self.stdout.write(self.style.SUCCESS(f"Đã tạo {', '.join(summary)}."))
        self._print_logins()

    @staticmethod
    def _list_size(rng, org) -> int:
        """Members on a branch's list: fewer than its staff (the demo's pipeline admits a few
        more), except the branches where every staff member already is one."""
        staff = org.headcounts.values_list("staff", flat=True).first()
        if staff is None:
            return rng.randint(8, 24)
        if org.code in ALL_MEMBERS:
            return staff - ALL_MEMBERS[org.code]
        low = max(1, staff // 2)
        return rng.randint(low, max(low, staff - 4))

    def _build(self, node, parent, orgs):
        code, name, kind, headcount, children = node
        org = Organisation(code=code, name=name, kind=kind, parent=parent)
        if parent is None:
            org.document_place, org.signer_name = DOCUMENT_PLACE, SIGNER_NAME
        org.full_clean()
        org.save()
        if headcount is not None:
            StaffHeadcount.objects.create(organisation=org, valid_from=FROM_THE_START,
                                          staff=headcount)
        orgs[code] = org
        for child in children:
            self._build(child, org, orgs)

    def _member(self, rng, org, card, today):
        female = rng.random() < 0.45
        name = " ".join([
            rng.choice(SURNAMES),
            rng.choice(MIDDLE_F if female else MIDDLE_M),
            rng.choice(GIVEN_F if female else GIVEN_M),
        ])
        birth = date(rng.randint(1966, 2002), rng.randint(1, 12), rng.randint(1, 28))
        earliest = birth.replace(year=birth.year + 19)
        admitted = earliest + timedelta(days=rng.randint(0, max(1, (today - earliest).days - 30)))
        probation_end = admitted.replace(year=admitted.year + 1) if not (
            admitted.month == 2 and admitted.day == 29) else date(admitted.year + 1, 3, 1)
        official = probation_end if probation_end <= today else None
        status = MemberStatus.OFFICIAL if official else MemberStatus.PROBATIONARY
        profession, qualification, _weight = rng.choices(
            PROFESSIONS, weights=[p[2] for p in PROFESSIONS])[0]
        return Member(
            full_name=name, birth_date=birth, sex="female" if female else "male",
            ethnicity=rng.choice(ETHNICITIES), religion=rng.choice(RELIGIONS),
            citizen_id=f"0{rng.randint(10, 96):02d}{rng.randint(0, 1)}{birth.year % 100:02d}"
                       f"{rng.randint(0, 999999):06d}",
            organisation=org, card_number=f"{card:08d}", admitted_date=admitted,
            official_date=official, status=status, education=rng.choice(EDUCATIONS),
            qualification=qualification, profession=profession,
        )

    def _movements(self, rng, orgs, today, actor) -> int:
        """A move between branches of two grassroots committees, a death and a transfer out
        of the province, in past years, recorded as the member pages record them."""
        years_ago = [date(today.year - n, month, day)
                     for n, month, day in ((3, 4, 10), (2, 9, 15), (1, 6, 20))]
        steps = [
            (years_ago[0], MovementKind.TRANSFER_WITHIN, "SGD-VP", orgs["STC-NS"],
             "Chuyển công tác sang Sở Tài chính"),
            (years_ago[1], MovementKind.DIED, "SNN-KL", None, ""),
            (years_ago[2], MovementKind.TRANSFER_OUT, "BVT-NGOAI", None,
             "Đảng ủy Bệnh viện Bạch Mai"),
        ]
        for day, kind, code, to, detail in steps:
            member = rng.choice(list(Member.objects.filter(
                organisation=orgs[code], status=MemberStatus.OFFICIAL,
                official_date__lt=day).order_by("pk")))
            details = {"outside_place": detail} if kind == MovementKind.TRANSFER_OUT else {
                "note": detail}
            if kind != MovementKind.DIED:
                details["document_number"] = f"{rng.randint(10, 300)}-QĐ/ĐUK"
            record_movement(member, kind, day, actor=actor, to_organisation=to, **details)
        return len(steps)

    def _print_logins(self):
        self.stdout.write(f"\nTài khoản mẫu (mật khẩu chung: {DEMO_PASSWORD}):")
        for username, _name, role, code, _superuser in USERS:
            self.stdout.write(f"  {username:<16} {Role(role).label} — {code}")
        self.stdout.write(f"  {'chuaphanquyen':<16} (chưa được phân quyền)")
