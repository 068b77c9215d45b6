<div class="alert alert-danger">The server's details are not available now: {$error|escape}</div>
