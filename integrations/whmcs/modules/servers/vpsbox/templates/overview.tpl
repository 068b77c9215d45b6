<div class="vpsbox-server">
  <h3>{$server.hostname|escape}</h3>
  <table class="table">
    <tr><th>State</th><td>{$server.state|escape} / {$server.power|escape}{if $server.suspended} (suspended){/if}</td></tr>
    <tr><th>Plan</th><td>{$server.plan|escape}: {$server.vcpus} vCPU, {$server.memory_mib} MiB, {$server.disk_gb} GiB</td></tr>
    <tr><th>Operating system</th><td>{$server.template|escape}</td></tr>
    <tr><th>Addresses</th><td>{foreach $server.addresses as $a}{$a|escape}<br>{/foreach}</td></tr>
  </table>
  <p>
    <a class="btn btn-default" href="clientarea.php?action=productdetails&amp;id={$serviceid}&amp;modop=custom&amp;a=start">Start</a>
    <a class="btn btn-default" href="clientarea.php?action=productdetails&amp;id={$serviceid}&amp;modop=custom&amp;a=shutdown">Shut down</a>
    <a class="btn btn-default" href="clientarea.php?action=productdetails&amp;id={$serviceid}&amp;modop=custom&amp;a=reboot">Reboot</a>
    <a class="btn btn-warning" href="clientarea.php?action=productdetails&amp;id={$serviceid}&amp;modop=custom&amp;a=reset">Hard reset</a>
    <a class="btn btn-primary" href="clientarea.php?action=productdetails&amp;id={$serviceid}&amp;dosinglesignon=1">Open the control panel</a>
  </p>
</div>
