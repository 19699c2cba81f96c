{{/*
Flagger's alerts, as core's canary/alerts.ts parses the `alerts` option: alerts.destinations
becomes a JSON list of {type, secret, channel, severity}, each refusal naming the value and the
fix. A destination holding a '/' is taken for a webhook URL and never repeated.
*/}}
{{- define "chatbot.alerts" -}}
{{- $example := "For example alerts.destinations: slack:rollouts-webhook#deploys@warn,msteams:teams-webhook." -}}
{{- $text := .Values.alerts.destinations | default "" -}}
{{- $list := list -}}
{{- $seen := dict -}}
{{- if and (ne $text "") (eq (trim $text) "") -}}
{{- fail (printf "alerts.destinations must list destinations as <type>:<secret>, got %q. %s" $text $example) -}}
{{- end -}}
{{- if ne (trim $text) "" -}}
{{- range $raw := splitList "," $text -}}
{{- $entry := trim $raw -}}
{{- if contains "/" $entry -}}
{{- fail "alerts.destinations takes no webhook URL: a webhook URL is a credential, kept in a Secret. Store it as the address key of a Secret (kubectl create secret generic rollouts-webhook --from-literal=address=<url>) and give alerts.destinations: slack:rollouts-webhook." -}}
{{- end -}}
{{- if not (regexMatch "^[^:]*:[^#@]*(#[^@]*)?(@.*)?$" $entry) -}}
{{- fail (printf "alerts.destinations must name each destination as <type>:<secret>, got %q. %s" $entry $example) -}}
{{- end -}}
{{- $type := regexReplaceAll "^([^:]*):.*$" $entry "${1}" -}}
{{- $secret := regexReplaceAll "^[^:]*:([^#@]*).*$" $entry "${1}" -}}
{{- $channel := regexFind "#[^@]*" $entry -}}
{{- $severity := regexFind "@.*$" $entry | trimPrefix "@" -}}
{{- if not (has $type (list "slack" "msteams" "discord" "rocket" "gchat")) -}}
{{- fail (printf "alerts.destinations: %q in %q is not an alert provider of Flagger. Use one of slack, msteams, discord, rocket, gchat (msteams is Microsoft Teams, gchat Google Chat)." $type $entry) -}}
{{- end -}}
{{- if or (gt (len $secret) 63) (not (regexMatch "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$" $secret)) -}}
{{- fail (printf "alerts.destinations: %q in %q is not a Secret name (lowercase letters, digits and '-', at most 63 characters). Name the Secret, in the function's namespace, whose address key holds the webhook URL." $secret $entry) -}}
{{- end -}}
{{- if and $channel (has $type (list "msteams" "gchat")) -}}
{{- fail (printf "alerts.destinations: %q sets a channel, and Flagger's %s posts to the channel its webhook belongs to. Drop %q, or make the webhook in the channel you want." $entry $type $channel) -}}
{{- end -}}
{{- if and $channel (not (regexMatch "^#[a-z0-9_-]{1,80}$" $channel)) -}}
{{- fail (printf "alerts.destinations: %q in %q is not a channel name (lowercase letters, digits, '-' and '_'). %s" $channel $entry $example) -}}
{{- end -}}
{{- if and (contains "@" $entry) (not (has $severity (list "info" "warn" "error"))) -}}
{{- fail (printf "alerts.destinations: \"@%s\" in %q is not a severity. Use @info (every alert, the default), @warn (warnings and errors) or @error." $severity $entry) -}}
{{- end -}}
{{- $key := printf "%s:%s" $type $secret -}}
{{- if hasKey $seen $key -}}
{{- fail (printf "alerts.destinations names %s twice. Give each <type>:<secret> once." $key) -}}
{{- end -}}
{{- $_ := set $seen $key true -}}
{{- $list = append $list (dict "type" $type "secret" $secret "channel" (trimPrefix "#" $channel) "severity" ($severity | default "info")) -}}
{{- end -}}
{{- end -}}
{{- if and .Values.alerts.clusterName (eq (len $list) 0) -}}
{{- fail "alerts.clusterName is only used with alerts.destinations. Add alerts.destinations: slack:rollouts-webhook#deploys@warn,msteams:teams-webhook, or drop alerts.clusterName." -}}
{{- end -}}
{{- toJson $list -}}
{{- end -}}
