-- Argo CD health check for browsers.dev/BrowserSession. Paste it into argocd-cm under the key
-- resource.customizations.health.browsers.dev_BrowserSession (see the project's README).
-- Live and Released are where a session is meant to be; Failed is an ended fault.
-- Only the base and table libraries: Argo CD gives custom checks no more.
local health = {status = "Progressing", message = "Waiting for the operator to start the session"}
local status = obj.status
if status ~= nil and status.phase ~= nil then
  if status.phase == "Live" or status.phase == "Released" then
    health.status = "Healthy"
  elseif status.phase == "Failed" then
    health.status = "Degraded"
  elseif status.phase ~= "Pending" then
    health.status = "Unknown"
  end
  if status.message ~= nil then
    health.message = status.message
  end
end
return health
