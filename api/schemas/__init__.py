"""Request and response bodies, one module per resource, named by role (``ClientCreate``,
``ClientPublic``). Requests map onto command models; responses onto view results."""
