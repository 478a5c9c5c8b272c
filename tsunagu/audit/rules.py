from tsunagu.access import policy
from tsunagu.core.roles import Role

policy.allow("audit.search", [Role.ADMINISTRATOR])
