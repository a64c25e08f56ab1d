"""The form that explains a gap in a numbering register or voids numbers."""
from django import forms
from django.utils.translation import gettext_lazy


class VoidForm(forms.Form):
    first = forms.IntegerField(label=gettext_lazy("Từ số"), min_value=1)
    last = forms.IntegerField(label=gettext_lazy("Đến số (nếu là một khoảng)"), min_value=1,
                              required=False)
    reason = forms.CharField(label=gettext_lazy("Lý do không dùng số"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))
