import pytest

from notifications.masking import mask_email, mask_name, mask_phone


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812341234", "138****1234"),
        ("+86 138 1234 1234", "138****1234"),
        ("138-1234-1234", "138****1234"),
        ("0357-7921234", "035****1234"),
        ("12345", "1***5"),
        ("12", "**"),
        ("", ""),
    ],
)
def test_a_phone_number_keeps_its_first_three_and_last_four_digits(phone, masked):
    assert mask_phone(phone) == masked


@pytest.mark.parametrize(
    ("name", "masked"),
    [("张三", "张*"), ("欧阳娜娜", "欧***"), ("王", "王"), (" 李秀英 ", "李**"), ("", "")],
)
def test_a_name_keeps_its_first_character(name, masked):
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    ("email", "masked"),
    [
        ("zhang.san@example.com", "z***@example.com"),
        ("a@b.cn", "a***@b.cn"),
        ("not-an-address", "n*************"),
        ("", ""),
    ],
)
def test_an_e_mail_address_keeps_its_first_letter_and_domain(email, masked):
    assert mask_email(email) == masked
