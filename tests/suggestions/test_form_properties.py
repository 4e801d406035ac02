"""Whatever a phone or a bot sends, the form answers without a 500 and never half-saves."""

import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from suggestions.models import Suggestion, SuggestionEvent, SuggestionPhoto

any_text = st.text(max_size=3000)
phones = st.one_of(
    st.text(alphabet="0123456789+-() 转#", max_size=25),
    st.sampled_from(["13812345678", "+86 139 0357 1234", "0357-7221234", "", "1" * 40]),
    any_text,
)
files = st.lists(
    st.tuples(
        st.sampled_from(["a.jpg", "b.png", "c.gif", "d.exe", "照片.jpeg", ""]),
        st.one_of(st.binary(max_size=2048), st.just(b"\xff\xd8\xff\xe0" + b"\x00" * 64)),
    ),
    max_size=4,
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    title=any_text,
    content=any_text,
    name=any_text,
    phone=phones,
    anonymous=st.booleans(),
    consent=st.booleans(),
    theme_ok=st.booleans(),
    village=st.one_of(st.none(), st.integers(min_value=-5, max_value=10**12), any_text),
    uploads=files,
)
def test_arbitrary_input_never_breaks_the_form_or_half_saves(
    client, network, roads, django_settings_for_properties,
    title, content, name, phone, anonymous, consent, theme_ok, village, uploads,
):  # fmt: skip
    before = (
        Suggestion.objects.count(),
        SuggestionPhoto.objects.count(),
        SuggestionEvent.objects.count(),
    )
    data = {
        "theme": roads.pk if theme_ok else "999999",
        "title": title,
        "content": content,
        "name": name,
        "phone": phone,
        "token": str(uuid.uuid4()),
        "photos": [SimpleUploadedFile(n or "x", b) for n, b in uploads],
    }
    if village is not None:
        data["village"] = str(village)
    if anonymous:
        data["is_anonymous"] = "on"
    if consent:
        data["consent"] = "on"
    response = client.post(f"/s/{network.station.code}/", data)

    assert response.status_code in {200, 302}
    after = (
        Suggestion.objects.count(),
        SuggestionPhoto.objects.count(),
        SuggestionEvent.objects.count(),
    )
    if response.status_code == 302:
        saved = Suggestion.objects.latest("pk")
        assert after == (before[0] + 1, before[1] + saved.photos.count(), before[2] + 1)
        assert saved.photos.count() == len(uploads)
    else:
        assert after == before
