"""Template context shared by every page: the roles of the signed-in user."""

from training.roles import Role, roles_of


def roles(request):
    user_roles = roles_of(request.user) if hasattr(request, "user") else []
    return {
        "user_roles": user_roles,
        "is_trainee": Role.TRAINEE in user_roles,
        "is_trainer": Role.TRAINER in user_roles,
        "is_manager": Role.MANAGER in user_roles,
    }
