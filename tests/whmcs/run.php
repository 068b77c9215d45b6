<?php
/*
 * Runs one function of the WHMCS module under php-cli as WHMCS would call it:
 *     php tests/whmcs/run.php <Function> <params.json>
 * and prints {"result": <what it returned>, "capsule": [<database writes>]} as JSON.
 * WHMCS itself is not here (it is not free software): its module log and the Capsule query
 * builder that UsageUpdate writes through are stood in by recorders; everything the module
 * says to vpsbox goes to the real daemon.
 */

namespace WHMCS\Database {
    class Capsule
    {
        public static function table(string $table)
        {
            return new \CapsuleQuery($table);
        }
    }
}

namespace {
    define('WHMCS', true);

    $GLOBALS['capsule'] = [];

    class CapsuleQuery
    {
        private $table;
        private $wheres = [];

        public function __construct(string $table)
        {
            $this->table = $table;
        }

        public function where(string $column, $value)
        {
            $this->wheres[$column] = $value;
            return $this;
        }

        public function update(array $values)
        {
            $GLOBALS['capsule'][] = ['table' => $this->table, 'where' => $this->wheres, 'values' => $values];
            return 1;
        }
    }

    function logModuleCall($module, $action, $request, $response, $data = null, $secrets = [])
    {
    }

    require __DIR__ . '/../../integrations/whmcs/modules/servers/vpsbox/vpsbox.php';

    $function = 'vpsbox_' . $argv[1];
    $params = json_decode(file_get_contents($argv[2]), true);
    $result = $function($params);
    echo json_encode(['result' => $result, 'capsule' => $GLOBALS['capsule']], JSON_UNESCAPED_SLASHES), "\n";
}
