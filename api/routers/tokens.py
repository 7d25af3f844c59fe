"""API tokens: an admin creates and lists tokens for their own tenant."""

from fastapi import APIRouter, status

from api.dependencies import AdminDep, ServicesDep
from api.schemas.admin import TokenCreate, TokenCreated, TokenPublic, TokensPublic

router = APIRouter(prefix="/tokens", tags=["tokens"])


@router.post("", status_code=status.HTTP_201_CREATED)
def create_token(body: TokenCreate, services: ServicesDep, actor: AdminDep) -> TokenCreated:
    """Create a token for the admin's tenant; the response is the only time it is shown."""
    token = services.tokens.create(actor.tenant, body.role, body.name)
    return TokenCreated(token=token, tenant=actor.tenant, role=body.role, name=body.name)


@router.get("")
def list_tokens(services: ServicesDep, actor: AdminDep) -> TokensPublic:
    """List the tenant's active tokens (names and roles, never the tokens)."""
    found = services.tokens.list(actor.tenant)
    return TokensPublic(data=[TokenPublic.model_validate(t) for t in found], count=len(found))
