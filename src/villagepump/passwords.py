"""Password hashing with argon2id."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from villagepump.errors import bad_request

MIN_LENGTH = 8
MAX_LENGTH = 72 * 4  # Mattermost caps at 72 bytes for bcrypt; argon2 has no such limit, but bound the work.


class Passwords:
    def __init__(self, time_cost: int, memory_kib: int) -> None:
        self._hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1)

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        if not password_hash:
            return False
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False


def check_password_rules(password: object) -> str:
    if not isinstance(password, str) or not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        raise bad_request(
            "model.user.is_valid.pwd_length.app_error",
            f"Your password must contain between {MIN_LENGTH} and {MAX_LENGTH} characters.",
        )
    return password
