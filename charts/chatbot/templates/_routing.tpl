{{/*
The provider the Canary gets: the value when set; else, on an upgrade, the one the release's
Canary already has, so a new chart default never moves a team's routing (Helm's lookup; under
helm template it finds nothing); else gatewayapi. As core's chooseProvider.
*/}}
{{- define "chatbot.provider" -}}
{{- if .Values.provider -}}
{{- .Values.provider -}}
{{- else -}}
{{- $live := lookup "flagger.app/v1beta1" "Canary" .Release.Namespace (include "chatbot.name" .) -}}
{{- $provider := (($live.spec | default dict).provider | default "") | toString -}}
{{- if or (eq $provider "linkerd") (hasPrefix "smi" $provider) }}linkerd{{ else }}gatewayapi{{ end -}}
{{- end -}}
{{- end -}}

{{/*
Testers first: analysis.match, one HTTPMatchRequest per mark (Flagger ORs them), as core's
renderMatch. A header Name=value matches exactly, Name=~pattern by regex; a cookie name=value is
found among the Cookie header's pairs, its characters quoted (regexQuoteMeta is Go's QuoteMeta,
the characters core escapes).
*/}}
{{- define "chatbot.testersMatch" -}}
{{- $t := .Values.analysis.testers | default dict -}}
{{- with $t.header }}
{{- $name := regexFind "^[^=]+" . }}
{{- $value := trimPrefix (printf "%s=" $name) . }}
- headers:
    {{ toJson $name }}:
      {{- if hasPrefix "~" $value }}
      regex: {{ trimPrefix "~" $value | toJson }}
      {{- else }}
      exact: {{ toJson $value }}
      {{- end }}
{{- end }}
{{- with $t.cookie }}
{{- $name := regexFind "^[^=]+" . }}
{{- $value := trimPrefix (printf "%s=" $name) . }}
- headers:
    Cookie:
      regex: {{ printf "^(.*?;)?\\s*%s=%s\\s*(;.*)?$" (regexQuoteMeta $name) (regexQuoteMeta $value) | toJson }}
{{- end }}
{{- end -}}
