"""Passwords are kept with argon2id at OWASP's minimum parameters; a hash made with Django's default parameters
still verifies and is re-hashed with ours at the next login."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import Argon2PasswordHasher, make_password

pytestmark = pytest.mark.django_db


def test_a_new_password_is_argon2id_with_owasps_parameters():
    encoded = make_password("ett långt lösenord 42")
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


def test_a_hash_with_djangos_parameters_verifies_and_is_upgraded():
    user = get_user_model().objects.create(username="anna")
    user.password = Argon2PasswordHasher().encode("ett långt lösenord 42", Argon2PasswordHasher().salt())
    assert "m=102400,t=2,p=8" in user.password
    user.save()
    assert not user.check_password("fel lösenord")
    assert "m=102400" in user.password
    assert user.check_password("ett långt lösenord 42")
    user.refresh_from_db()
    assert "m=19456,t=2,p=1" in user.password
