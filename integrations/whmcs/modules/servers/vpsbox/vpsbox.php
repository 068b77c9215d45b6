<?php
/**
 * vpsbox provisioning module for WHMCS.
 *
 * A WHMCS service is one vpsbox server, named by its external_service_id "whmcs-<service id>";
 * a WHMCS client is one vpsbox account with the external_id "whmcs-client-<client id>".
 * CreateAccount is idempotent on both sides: the Idempotency-Key replays a create that timed
 * out, and the external_service_id makes a second server impossible.
 *
 * Server settings (Setup → Servers): hostname or IP of the vpsbox host, port (8443), secure,
 * and a billing API token (`vpsbox token create --kind billing`) in "Access Hash" (or
 * "Password"). Product settings: plan id, template id, deletion grace hours, and whether to
 * skip TLS verification (a self-signed certificate).
 */

if (!defined('WHMCS') && PHP_SAPI !== 'cli') {
    die('This file cannot be accessed directly');
}

require_once __DIR__ . '/lib/ApiClient.php';

use Vpsbox\Whmcs\ApiClient;
use Vpsbox\Whmcs\ApiError;

function vpsbox_MetaData()
{
    return [
        'DisplayName' => 'vpsbox',
        'APIVersion' => '1.1',
        'RequiresServer' => true,
        'DefaultSSLPort' => '8443',
        'ServiceSingleSignOnLabel' => 'Log in to the control panel',
    ];
}

function vpsbox_ConfigOptions()
{
    return [
        'Plan ID' => ['Type' => 'text', 'Size' => '8', 'Description' => 'vpsbox plan id (GET /api/v1/plans)'],
        'Template ID' => ['Type' => 'text', 'Size' => '8', 'Description' => 'vpsbox OS template id (GET /api/v1/templates)'],
        'Deletion grace hours' => ['Type' => 'text', 'Size' => '5', 'Description' => 'Hours a terminated server stays restorable (empty: the host default)'],
        'Skip TLS verification' => ['Type' => 'yesno', 'Description' => 'Only for a host with a self-signed certificate'],
    ];
}

/** The service's external_service_id. */
function vpsbox_serviceKey(array $params): string
{
    return 'whmcs-' . (int)$params['serviceid'];
}

/** The vpsbox server of this service, or null. */
function vpsbox_findServer(ApiClient $api, array $params): ?array
{
    $found = $api->call('GET', '/servers?external_service_id=' . urlencode(vpsbox_serviceKey($params)));
    return $found['items'][0] ?? null;
}

/** The vpsbox server of this service, or an ApiError. */
function vpsbox_server(ApiClient $api, array $params): array
{
    $server = vpsbox_findServer($api, $params);
    if ($server === null) {
        throw new ApiError(404, 'VM0009', 'This service has no server on vpsbox');
    }
    return $server;
}

/** The client's vpsbox account: found by its external id, or by e-mail, or made. */
function vpsbox_account(ApiClient $api, array $params): int
{
    $external = 'whmcs-client-' . (int)$params['userid'];
    $found = $api->call('GET', '/users?external_id=' . urlencode($external));
    if (!empty($found['items'])) {
        return (int)$found['items'][0]['id'];
    }
    $email = $params['clientsdetails']['email'] ?? '';
    $found = $api->call('GET', '/users?email=' . urlencode($email));
    if (!empty($found['items'])) {
        $id = (int)$found['items'][0]['id'];
        $api->call('PATCH', '/users/' . $id, ['external_id' => $external]);
        return $id;
    }
    $made = $api->call('POST', '/users', ['email' => $email, 'external_id' => $external]);
    return (int)$made['id'];
}

/** Run `$f`, turning API errors into WHMCS's error strings. */
function vpsbox_try(callable $f)
{
    try {
        return $f();
    } catch (ApiError $e) {
        return $e->getMessage();
    } catch (\Throwable $e) {
        return 'vpsbox module: ' . $e->getMessage();
    }
}

/** Wait for an operation to end (up to `$secs`); its last state. */
function vpsbox_wait(ApiClient $api, int $operation, int $secs = 300): array
{
    $deadline = time() + $secs;
    do {
        $op = $api->call('GET', '/operations/' . $operation);
        if ($op['status'] !== 'running') {
            return $op;
        }
        usleep(500000);
    } while (time() < $deadline);
    return $op;
}

function vpsbox_TestConnection(array $params)
{
    try {
        $ping = ApiClient::fromParams($params)->call('GET', '/ping');
        $missing = array_diff(['users', 'servers', 'power', 'usage', 'sso'], $ping['token']['scopes'] ?? []);
        if ($missing) {
            return ['success' => false, 'error' => 'The token lacks the scopes ' . implode(', ', $missing)];
        }
        return ['success' => true, 'error' => ''];
    } catch (\Throwable $e) {
        return ['success' => false, 'error' => $e->getMessage()];
    }
}

function vpsbox_CreateAccount(array $params)
{
    return vpsbox_try(function () use ($params) {
        $api = ApiClient::fromParams($params);
        if (vpsbox_findServer($api, $params) !== null) {
            return 'success';
        }
        $owner = vpsbox_account($api, $params);
        $hostname = trim((string)($params['domain'] ?? '')) ?: 'vps' . (int)$params['serviceid'];
        $order = [
            'owner' => $owner,
            'plan' => (int)$params['configoption1'],
            'template' => (int)$params['configoption2'],
            'hostname' => $hostname,
            'root_password' => (string)$params['password'],
            'external_service_id' => vpsbox_serviceKey($params),
        ];
        $key = vpsbox_serviceKey($params) . '-create';
        try {
            $api->call('POST', '/servers', $order, ['Idempotency-Key' => $key]);
        } catch (ApiError $e) {
            // The service has its server already (made by an earlier, timed-out attempt).
            if ($e->errorCode !== 'VM0017') {
                throw $e;
            }
        }
        if (vpsbox_findServer($api, $params) === null) {
            // A replayed answer of a server deleted since: order anew under a new key.
            $api->call('POST', '/servers', $order, ['Idempotency-Key' => $key . '-' . time()]);
        }
        return 'success';
    });
}

function vpsbox_SuspendAccount(array $params)
{
    return vpsbox_try(function () use ($params) {
        $api = ApiClient::fromParams($params);
        $server = vpsbox_server($api, $params);
        $reason = trim((string)($params['suspendreason'] ?? '')) ?: 'Suspended by WHMCS';
        $api->call('POST', '/servers/' . $server['id'] . '/suspend', ['reason' => $reason]);
        return 'success';
    });
}

function vpsbox_UnsuspendAccount(array $params)
{
    return vpsbox_try(function () use ($params) {
        $api = ApiClient::fromParams($params);
        $server = vpsbox_server($api, $params);
        $api->call('POST', '/servers/' . $server['id'] . '/unsuspend', ['reason' => 'Unsuspended by WHMCS']);
        return 'success';
    });
}

function vpsbox_TerminateAccount(array $params)
{
    return vpsbox_try(function () use ($params) {
        $api = ApiClient::fromParams($params);
        $server = vpsbox_findServer($api, $params);
        if ($server === null) {
            return 'success';
        }
        $grace = trim((string)($params['configoption3'] ?? ''));
        $query = $grace === '' ? '' : '?grace_hours=' . (int)$grace;
        try {
            $api->call('DELETE', '/servers/' . $server['id'] . $query);
        } catch (ApiError $e) {
            // Scheduled for deletion already.
            if ($e->errorCode !== 'VM0019') {
                throw $e;
            }
        }
        return 'success';
    });
}

function vpsbox_ChangePackage(array $params)
{
    return vpsbox_try(function () use ($params) {
        $api = ApiClient::fromParams($params);
        $server = vpsbox_server($api, $params);
        $plan = (int)$params['configoption1'];
        if ((int)($server['plan_id'] ?? 0) === $plan) {
            return 'success';
        }
        $full = $api->call('GET', '/servers/' . $server['id']);
        if ((int)$full['plan_id'] === $plan) {
            return 'success';
        }
        $wasRunning = $full['power'] === 'running';
        if ($wasRunning) {
            $api->call('POST', '/servers/' . $server['id'] . '/power', ['action' => 'force-off']);
        }
        $op = $api->call('POST', '/servers/' . $server['id'] . '/plan', ['plan' => $plan]);
        $op = vpsbox_wait($api, (int)$op['id']);
        if ($op['status'] !== 'succeeded') {
            $why = $op['error']['detail'] ?? $op['status'];
            return 'The plan change did not finish: ' . $why;
        }
        if ($wasRunning) {
            $api->call('POST', '/servers/' . $server['id'] . '/power', ['action' => 'start']);
        }
        return 'success';
    });
}

function vpsbox_ChangePassword(array $params)
{
    return vpsbox_try(function () use ($params) {
        $api = ApiClient::fromParams($params);
        $server = vpsbox_server($api, $params);
        $api->call('POST', '/servers/' . $server['id'] . '/password', ['password' => (string)$params['password']]);
        return 'success';
    });
}

/** Daily: this month's traffic of every service's server, in one list call. */
function vpsbox_UsageUpdate(array $params)
{
    return vpsbox_try(function () use ($params) {
        $api = ApiClient::fromParams($params);
        $now = date('Y-m-d H:i:s');
        foreach ($api->all('/usage') as $u) {
            $key = (string)($u['external_service_id'] ?? '');
            if (strpos($key, 'whmcs-') !== 0 || !ctype_digit(substr($key, 6))) {
                continue;
            }
            \WHMCS\Database\Capsule::table('tblhosting')
                ->where('server', $params['serverid'])
                ->where('id', (int)substr($key, 6))
                ->update([
                    'bwusage' => (int)round(($u['rx_bytes'] + $u['tx_bytes']) / 1048576),
                    'lastupdate' => $now,
                ]);
        }
        return 'success';
    });
}

function vpsbox_ServiceSingleSignOn(array $params)
{
    try {
        $api = ApiClient::fromParams($params);
        $server = vpsbox_server($api, $params);
        $link = $api->call('POST', '/users/' . $server['owner'] . '/sso', ['server' => $server['id']]);
        return ['success' => true, 'redirectTo' => $link['url']];
    } catch (\Throwable $e) {
        return ['success' => false, 'errorMsg' => $e->getMessage()];
    }
}

function vpsbox_AdminServicesTabFields(array $params)
{
    try {
        $api = ApiClient::fromParams($params);
        $server = vpsbox_findServer($api, $params);
        if ($server === null) {
            return ['vpsbox' => 'No server on vpsbox for this service'];
        }
        $full = $api->call('GET', '/servers/' . $server['id']);
        $esc = function ($s) {
            return htmlspecialchars((string)$s, ENT_QUOTES);
        };
        return [
            'vpsbox server' => '#' . (int)$full['id'] . ' ' . $esc($full['hostname']),
            'State' => $esc($full['state']) . ' / ' . $esc($full['power']) . ($full['suspended'] ? ' (suspended)' : ''),
            'Plan' => $esc($full['plan']) . ' (' . (int)$full['vcpus'] . ' vCPU, ' . (int)$full['memory_mib'] . ' MiB, ' . (int)$full['disk_gb'] . ' GiB)',
            'Addresses' => $esc(implode(', ', $full['addresses'])),
            'Deletion' => $full['deletion_due_at'] ? 'scheduled for ' . $esc($full['deletion_due_at']) : '-',
        ];
    } catch (\Throwable $e) {
        return ['vpsbox' => htmlspecialchars($e->getMessage(), ENT_QUOTES)];
    }
}

function vpsbox_ClientAreaCustomButtonArray()
{
    return ['Start' => 'start', 'Shut down' => 'shutdown', 'Reboot' => 'reboot', 'Hard reset' => 'reset'];
}

function vpsbox_AdminCustomButtonArray()
{
    return vpsbox_ClientAreaCustomButtonArray();
}

/** A power button. */
function vpsbox_power(array $params, string $action)
{
    return vpsbox_try(function () use ($params, $action) {
        $api = ApiClient::fromParams($params);
        $server = vpsbox_server($api, $params);
        $api->call('POST', '/servers/' . $server['id'] . '/power', ['action' => $action]);
        return 'success';
    });
}

function vpsbox_start(array $params)
{
    return vpsbox_power($params, 'start');
}

function vpsbox_shutdown(array $params)
{
    return vpsbox_power($params, 'shutdown');
}

function vpsbox_reboot(array $params)
{
    return vpsbox_power($params, 'reboot');
}

function vpsbox_reset(array $params)
{
    return vpsbox_power($params, 'reset');
}

function vpsbox_ClientArea(array $params)
{
    try {
        $api = ApiClient::fromParams($params);
        $server = vpsbox_server($api, $params);
        $full = $api->call('GET', '/servers/' . $server['id']);
        return [
            'tabOverviewReplacementTemplate' => 'templates/overview.tpl',
            'templateVariables' => ['server' => $full],
        ];
    } catch (\Throwable $e) {
        return [
            'tabOverviewReplacementTemplate' => 'templates/error.tpl',
            'templateVariables' => ['error' => $e->getMessage()],
        ];
    }
}
