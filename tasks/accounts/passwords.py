"""Password hashing (argon2id via argon2-cffi) and random passwords.

Only the hash is ever stored; a clear password exists only in the caller's
hands (typed by the user, or printed once when generated).

>>> h = hash_password("correct horse battery")
>>> h.startswith("$argon2id$") and verify_password(h, "correct horse battery")
True
>>> verify_password(h, "wrong")
False
>>> len(random_password())
16
"""

from __future__ import annotations

import secrets

from argon2 import Parameters, PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from .errors import AccountError

MIN_LENGTH = 10
MAX_LENGTH = 128
#: zxcvbn's score (0–4) a chosen password needs: 3 is "safely unguessable" against online attacks
MIN_SCORE = 3
#: no look-alike characters (0/O, 1/l/I), so a printed password can be typed back
ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
#: the argon2id cost of stored passwords: RFC 9106's second recommendation (64 MiB, 3 passes, 4 lanes)
PARAMETERS = profiles.RFC_9106_LOW_MEMORY
_HASHER = PasswordHasher.from_parameters(PARAMETERS)
#: verified against when the account does not exist, so both cases take the same time
_DUMMY_HASH = _HASHER.hash(secrets.token_hex(16))


def use_parameters(parameters: Parameters) -> None:
    """Hash and verify with ``parameters`` from now on, in this process only.

    For test suites, which argon2-cffi advises to run with ``argon2.profiles.CHEAPEST`` (the
    repository's ``conftest.py`` does); nothing in the workbench calls it, and no setting reaches it.
    Hashes made with other parameters still verify, and are re-hashed at the next login.
    """
    global _HASHER, _DUMMY_HASH
    _HASHER = PasswordHasher.from_parameters(parameters)
    _DUMMY_HASH = _HASHER.hash(secrets.token_hex(16))


def hash_password(password: str) -> str:
    """The argon2id hash of ``password`` (salted: two hashes of one password differ).

    Parameters
    ----------
    password : str
        The clear password.

    Returns
    -------
    str
        The hash in PHC form (``$argon2id$…``), the only thing stored.

    Examples
    --------
    >>> h = hash_password("correct horse battery")
    >>> h.startswith("$argon2id$"), h == hash_password("correct horse battery")
    (True, False)
    """
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches; a damaged hash counts as a mismatch.

    Parameters
    ----------
    password_hash : str
        A hash from :func:`hash_password`.
    password : str
        The clear password typed.

    Returns
    -------
    bool
        Whether they match.

    Examples
    --------
    >>> h = hash_password("correct horse battery")
    >>> verify_password(h, "correct horse battery"), verify_password(h, "wrong"), verify_password("damaged", "x")
    (True, False, False)
    """
    try:
        return _HASHER.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def burn_time(password: str) -> None:
    """Spend the time of one verification (unknown account names must not answer faster)."""
    verify_password(_DUMMY_HASH, password)


def needs_rehash(password_hash: str) -> bool:
    return _HASHER.check_needs_rehash(password_hash)


def random_password(length: int = 16) -> str:
    """A random password from :data:`ALPHABET` with at least one digit, lower and upper case letter.

    Parameters
    ----------
    length : int, optional
        Its length (default 16; at least 3).

    Returns
    -------
    str
        The password, free of look-alike characters.

    Examples
    --------
    >>> pw = random_password(12)
    >>> len(pw), set(pw) <= set(ALPHABET), any(c.isdigit() for c in pw)
    (12, True, True)
    """
    while True:
        pw = "".join(secrets.choice(ALPHABET) for _ in range(length))
        if any(c.isdigit() for c in pw) and any(c.islower() for c in pw) and any(c.isupper() for c in pw):
            return pw


def check_strength(password: str, name: str = "") -> None:
    """Refuse short, over-long or guessable passwords with a Chinese reason.

    Guessable means zxcvbn's score below :data:`MIN_SCORE`: its lists of common
    passwords, names and words, keyboard runs (``qwertyuiop``), runs of digits
    or letters and repeats, with the account name as a word too.

    >>> check_strength("password12")
    Traceback (most recent call last):
    tasks.accounts.errors.AccountError: 密码过于常见或容易猜到(如常见密码、连续数字或字母、键盘顺序),请换一个更长、更不规则的密码
    """
    if len(password) < MIN_LENGTH:
        raise AccountError(f"密码至少 {MIN_LENGTH} 位")
    if len(password) > MAX_LENGTH:
        raise AccountError(f"密码不能超过 {MAX_LENGTH} 位")
    if len(name) >= 4 and name.lower() in password.lower():
        raise AccountError("密码不能包含账号名")
    if len(set(password)) < 4:
        raise AccountError("密码过于简单,请混用字母、数字和符号")
    from zxcvbn import zxcvbn

    if zxcvbn(password, user_inputs=[name] if name else [])["score"] < MIN_SCORE:
        raise AccountError("密码过于常见或容易猜到(如常见密码、连续数字或字母、键盘顺序),请换一个更长、更不规则的密码")
