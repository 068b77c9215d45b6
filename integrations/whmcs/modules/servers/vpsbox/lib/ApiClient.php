<?php
/**
 * A small client of the vpsbox automation API (/api/v1): bearer token, JSON in and out,
 * RFC 9457 problem documents turned into exceptions that carry the stable code.
 */

namespace Vpsbox\Whmcs;

class ApiError extends \RuntimeException
{
    /** @var int */
    public $status;
    /** @var string */
    public $errorCode;

    public function __construct(int $status, string $code, string $detail)
    {
        parent::__construct($detail . ' (' . $code . ')');
        $this->status = $status;
        $this->errorCode = $code;
    }
}

class ApiClient
{
    /** @var string */
    private $base;
    /** @var string */
    private $token;
    /** @var bool */
    private $verifyTls;

    public function __construct(string $base, string $token, bool $verifyTls = true)
    {
        $this->base = rtrim($base, '/') . '/api/v1';
        $this->token = $token;
        $this->verifyTls = $verifyTls;
    }

    /** The client a module call's server settings describe. */
    public static function fromParams(array $params): ApiClient
    {
        $host = trim($params['serverhostname'] ?? '') ?: trim($params['serverip'] ?? '');
        if ($host === '') {
            throw new ApiError(0, 'WHMCS', 'The server has no hostname or IP address');
        }
        $port = (int)($params['serverport'] ?? 0) ?: 8443;
        $token = trim($params['serveraccesshash'] ?? '') ?: trim($params['serverpassword'] ?? '');
        $verify = strtolower(trim((string)($params['configoption4'] ?? ''))) !== 'on';
        return new ApiClient("https://{$host}:{$port}", $token, $verify);
    }

    /**
     * One request: the decoded JSON answer (null for 204), or an ApiError.
     *
     * @param array<string, string> $headers
     */
    public function call(string $method, string $path, ?array $body = null, array $headers = []): ?array
    {
        $ch = curl_init($this->base . $path);
        $send = ['Authorization: Bearer ' . $this->token, 'Accept: application/json'];
        foreach ($headers as $k => $v) {
            $send[] = $k . ': ' . $v;
        }
        if ($body !== null) {
            $send[] = 'Content-Type: application/json';
            curl_setopt($ch, CURLOPT_POSTFIELDS, json_encode($body, JSON_UNESCAPED_SLASHES));
        }
        curl_setopt_array($ch, [
            CURLOPT_CUSTOMREQUEST => $method,
            CURLOPT_HTTPHEADER => $send,
            CURLOPT_RETURNTRANSFER => true,
            CURLOPT_CONNECTTIMEOUT => 10,
            CURLOPT_TIMEOUT => 60,
            CURLOPT_SSL_VERIFYPEER => $this->verifyTls,
            CURLOPT_SSL_VERIFYHOST => $this->verifyTls ? 2 : 0,
        ]);
        $text = curl_exec($ch);
        if ($text === false) {
            $why = curl_error($ch);
            curl_close($ch);
            throw new ApiError(0, 'NETWORK', 'vpsbox did not answer: ' . $why);
        }
        $status = (int)curl_getinfo($ch, CURLINFO_RESPONSE_CODE);
        curl_close($ch);
        if (function_exists('logModuleCall')) {
            logModuleCall('vpsbox', $method . ' ' . $path, $body, $text, null, [$this->token]);
        }
        if ($status === 204) {
            return null;
        }
        $json = json_decode($text, true);
        if ($status >= 400) {
            $code = is_array($json) ? ($json['code'] ?? 'HTTP' . $status) : 'HTTP' . $status;
            $detail = is_array($json) ? ($json['detail'] ?? $text) : $text;
            throw new ApiError($status, $code, $detail);
        }
        if (!is_array($json)) {
            throw new ApiError($status, 'JSON', 'vpsbox answered no JSON: ' . substr($text, 0, 200));
        }
        return $json;
    }

    /** Every item of a list, following next_cursor. */
    public function all(string $path): array
    {
        $items = [];
        $cursor = null;
        do {
            $sep = strpos($path, '?') === false ? '?' : '&';
            $page = $this->call('GET', $path . $sep . 'limit=500' . ($cursor !== null ? '&cursor=' . urlencode($cursor) : ''));
            $items = array_merge($items, $page['items'] ?? []);
            $cursor = $page['next_cursor'] ?? null;
        } while ($cursor !== null);
        return $items;
    }
}
