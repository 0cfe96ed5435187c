{{- define "rampart-webhook.name" -}}rampart-webhook{{- end -}}
{{- define "rampart-webhook.fullname" -}}
{{- if contains "rampart-webhook" .Release.Name -}}{{ .Release.Name | trunc 63 | trimSuffix "-" }}{{- else -}}{{ printf "%s-rampart-webhook" .Release.Name | trunc 63 | trimSuffix "-" }}{{- end -}}
{{- end -}}
{{- define "rampart-webhook.labels" -}}
app.kubernetes.io/name: {{ include "rampart-webhook.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}
{{- define "rampart-webhook.selector" -}}
app.kubernetes.io/name: {{ include "rampart-webhook.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}
{{- define "rampart-webhook.secret" -}}
{{- if .Values.tls.existingSecret -}}{{ .Values.tls.existingSecret }}{{- else -}}{{ include "rampart-webhook.fullname" . }}-tls{{- end -}}
{{- end -}}
