"""One ``APIRouter`` per resource; each route translates HTTP into one command or view query."""
