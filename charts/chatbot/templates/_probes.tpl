{{/*
The chat probe's webhook metadata (docs/probes.md): this function's probes in probes.yml's
spelling as JSON, as core's probeMetadata writes it (`webchat: hello` is
`webchat: {message: hello}`, a slash command's text defaults to ""). The chart tests parse
both and compare them.
*/}}
{{- define "chatbot.probeJson" -}}
{{- $p := .Values.probes -}}
{{- $conversations := list -}}
{{- range $c := $p.conversations -}}
{{- $turns := list -}}
{{- range $t := $c.turns -}}
{{- $turn := dict "expect" $t.expect -}}
{{- if hasKey $t "webchat" -}}
{{- $_ := set $turn "webchat" (ternary (dict "message" $t.webchat) $t.webchat (kindIs "string" $t.webchat)) -}}
{{- else if hasKey $t "slackCommand" -}}
{{- $_ := set $turn "slackCommand" (merge (dict) $t.slackCommand (dict "text" "")) -}}
{{- else -}}
{{- $_ := set $turn "slackEvent" $t.slackEvent -}}
{{- end -}}
{{- $turns = append $turns $turn -}}
{{- end -}}
{{- $conversations = append $conversations (dict "name" $c.name "turns" $turns) -}}
{{- end -}}
{{- $probe := dict "path" ($p.path | default "/") "conversations" $conversations -}}
{{- with $p.signingSecret -}}
{{- $_ := set $probe "signingSecret" (dict "secret" .secret "key" .key) -}}
{{- end -}}
{{- toJson $probe -}}
{{- end -}}

{{/*
A probe webhook's timeout for `rounds` runs of every turn: 10s for the prober's own reads plus
5s (core's DEFAULT_PROBE_TIMEOUT_MS) per request, the requestTimeout the metadata carries and the
prober keeps to, so a slow reply is reported by the prober as the failed turn instead of being
cut off by Flagger's 10s default.
*/}}
{{- define "chatbot.probeTimeout" -}}
{{- $turns := 0 -}}
{{- range $c := .probes.conversations -}}
{{- $turns = add $turns (len $c.turns) -}}
{{- end -}}
{{- printf "%ds" (add 10 (mul (int .rounds) $turns 5)) -}}
{{- end -}}
