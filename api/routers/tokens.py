"""API tokens: an admin creates, lists and revokes tokens for their own tenant."""

from datetime import timedelta
from uuid import UUID

from fastapi import APIRouter, status

from aggregates.errors import NotFoundError
from api.dependencies import AdminDep, ServicesDep
from api.errors import problem_doc
from api.schemas.admin import TokenCreate, TokenCreated, TokenPublic, TokensPublic

router = APIRouter(prefix="/tokens", tags=["tokens"])


@router.post("", status_code=status.HTTP_201_CREATED)
def create_token(body: TokenCreate, services: ServicesDep, actor: AdminDep) -> TokenCreated:
    """Create a token for the admin's tenant; the response is the only time it is shown."""
    lifetime = timedelta(days=body.expires_in_days) if body.expires_in_days else None
    issued = services.tokens.issue(actor.tenant, body.role, body.name, lifetime)
    return TokenCreated(token=issued.token, **TokenPublic.model_validate(issued.record).model_dump())


@router.get("")
def list_tokens(services: ServicesDep, actor: AdminDep) -> TokensPublic:
    """List the tenant's active tokens (ids, names, roles and lifecycle, never the tokens)."""
    found = services.tokens.list(actor.tenant)
    return TokensPublic(data=[TokenPublic.model_validate(t) for t in found], count=len(found))


@router.delete("/{token_id}", status_code=status.HTTP_204_NO_CONTENT,
               responses={404: problem_doc("No active token with this id in the token's tenant")})
def revoke_token(token_id: UUID, services: ServicesDep, actor: AdminDep) -> None:
    """Revoke a token of the tenant; requests with it are refused (401) from now on."""
    if not services.tokens.revoke(actor.tenant, token_id):
        raise NotFoundError("token_id", "no active token with this id in this tenant")
