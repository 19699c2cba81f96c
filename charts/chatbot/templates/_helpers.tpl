{{/* The function's name: every object and the faas_function label carry it. */}}
{{- define "chatbot.name" -}}
{{- .Values.name | default .Release.Name -}}
{{- end -}}

{{/*
The label the Deployment selects its pods by. faas-netes labels functions faas_function=<name>
and Flagger must run with -selector-labels=faas_function to find it; Flagger's default
selector labels include app.
*/}}
{{- define "chatbot.selectorKey" -}}
{{- if .Values.openfaas.enabled }}faas_function{{ else }}app{{ end -}}
{{- end -}}

{{- define "chatbot.selectorLabels" -}}
{{ include "chatbot.selectorKey" . }}: {{ include "chatbot.name" . }}
{{- end -}}

{{/* Helm's recommended labels, on the objects only this chart writes. */}}
{{- define "chatbot.labels" -}}
{{ include "chatbot.selectorLabels" . }}
app.kubernetes.io/name: {{ include "chatbot.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/*
The labels of the Canary and MetricTemplates: exactly those `greenlight render` and the action
put there (core's MANAGED_BY_LABEL and FUNCTION_LABEL), so the chart and the action apply the
same object and Greenlight finds its own objects by them.
*/}}
{{- define "chatbot.greenlightLabels" -}}
app.kubernetes.io/managed-by: greenlight
greenlight.dev/function: {{ include "chatbot.name" . }}
{{- end -}}

{{- define "chatbot.image" -}}
{{- $image := .Values.image -}}
{{- $repository := required "image.repository is required: the function's image, e.g. --set image.repository=ghcr.io/acme/chatbot" $image.repository -}}
{{- if $image.digest -}}
{{ $repository }}@{{ $image.digest }}
{{- else -}}
{{ $repository }}:{{ $image.tag }}
{{- end -}}
{{- end -}}

{{/* Base URL of the gate without trailing slashes, as core's resolveCanaryOptions keeps it. */}}
{{- define "chatbot.gateUrl" -}}
{{- regexReplaceAll "/+$" .Values.approval.gateUrl "" -}}
{{- end -}}

{{/*
Prometheus for the MetricTemplates (gatewayapi) or the Canary's metricsServer (linkerd, only
when given): core's DEFAULT_PROMETHEUS_ADDRESS is Linkerd-viz's Prometheus.
*/}}
{{- define "chatbot.prometheus" -}}
{{- regexReplaceAll "/+$" (.Values.prometheus.address | default "http://prometheus.linkerd-viz:9090") "" -}}
{{- end -}}
