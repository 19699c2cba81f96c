{{- define "gate.name" -}}
{{- .Values.nameOverride | default .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
The release's full name: "greenlight-gate" for `helm install greenlight-gate`, the name the
default gate URL of the chatbot chart and the CLI points at
(http://greenlight-gate.greenlight.svc.cluster.local:8080).
*/}}
{{- define "gate.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else if contains (include "gate.name" .) .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name (include "gate.name" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "gate.selectorLabels" -}}
app.kubernetes.io/name: {{ include "gate.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "gate.labels" -}}
{{ include "gate.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/component: webhook
app.kubernetes.io/part-of: greenlight
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "gate.serviceAccountName" -}}
{{- .Values.serviceAccount.name | default (include "gate.fullname" .) -}}
{{- end -}}

{{- define "gate.image" -}}
{{- if .Values.image.digest -}}
{{ .Values.image.repository }}@{{ .Values.image.digest }}
{{- else -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}
{{- end -}}

{{/* The URL Canaries call: the Service's cluster DNS name. */}}
{{- define "gate.url" -}}
http://{{ include "gate.fullname" . }}.{{ .Release.Namespace }}.svc.{{ .Values.clusterDomain }}:{{ .Values.port }}
{{- end -}}

{{/*
This gate's URLs as one RE2 pattern, matched case-insensitively (DNS names are): the
Service's DNS name in each form a pod resolves — <svc>.<ns>, <svc>.<ns>.svc,
<svc>.<ns>.svc.<clusterDomain>, each with or without the trailing dot and the port — then
admissionPolicy.gateUrls, quoted; a route (promotion$, rollback$) follows. Nothing looser: a
suffix such as <svc>.<ns>.svc.example.com would resolve outside the cluster, so a URL counted
as the gate must reach the gate or nothing (a wrong port or path only fails closed). The
keep-gate and require-gate policies share it, so they agree on what "wired to the gate" is.
*/}}
{{- define "gate.urlPattern" -}}
{{- $svc := include "gate.fullname" . | regexQuoteMeta }}
{{- $ns := .Release.Namespace | regexQuoteMeta }}
{{- $bases := list (printf "http://%s\\.%s(?:\\.svc(?:\\.%s)?)?\\.?(?::%d)?" $svc $ns (.Values.clusterDomain | regexQuoteMeta) (int .Values.port)) }}
{{- range .Values.admissionPolicy.gateUrls }}{{ $bases = append $bases (trimSuffix "/" . | regexQuoteMeta) }}{{ end }}
{{- printf "(?i)^(?:%s)/gate/" (join "|" $bases) -}}
{{- end -}}

{{/* Who the admission policies' refusals name: "users a, b; groups c". */}}
{{- define "gate.approversText" -}}
{{- $who := list }}
{{- with .Values.admissionPolicy.approvers.usernames }}{{ $who = append $who (printf "users %s" (join ", " .)) }}{{ end }}
{{- with .Values.admissionPolicy.approvers.groups }}{{ $who = append $who (printf "groups %s" (join ", " .)) }}{{ end }}
{{- join "; " $who -}}
{{- end -}}

{{/*
greenlight-probe's name: the gate's full name with "-gate" replaced by "-probe", so
`helm install greenlight-gate` gives the Service greenlight-probe, the name of the default
probe URL of the chatbot chart, the CLI and the action
(http://greenlight-probe.greenlight.svc.cluster.local:8080).
*/}}
{{- define "gate.probeFullname" -}}
{{- printf "%s-probe" (include "gate.fullname" . | trimSuffix "-gate") | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Apart from the gate's: the gate's Service, PDB and NetworkPolicy never select the prober. */}}
{{- define "gate.probeSelectorLabels" -}}
app.kubernetes.io/name: greenlight-probe
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "gate.probeLabels" -}}
{{ include "gate.probeSelectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/component: prober
app.kubernetes.io/part-of: greenlight
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}
