/**
 * JSON schemas for the Grafana files we provision (Grafana itself cannot run
 * here). They encode what Grafana requires plus our own rules: Prometheus as
 * the default, read-only datasource (Alertmanager, read-only, may join it); dashboards loaded from files;
 * every panel querying that datasource by uid.
 */
export type GrafanaFileKind = "datasources" | "dashboard-provider" | "dashboard";

const datasources = {
  type: "object",
  additionalProperties: false,
  required: ["apiVersion", "datasources"],
  properties: {
    apiVersion: { const: 1 },
    datasources: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["name", "type", "uid", "access", "url"],
        // Only Prometheus may be the default.
        if: { properties: { type: { const: "alertmanager" } }, required: ["type"] },
        then: { properties: { isDefault: { const: false }, jsonData: { type: "object" } }, required: ["jsonData"] },
        properties: {
          name: { type: "string", minLength: 1 },
          type: { enum: ["prometheus", "alertmanager"] },
          uid: { type: "string", pattern: "^[a-zA-Z0-9_-]{1,40}$" },
          access: { enum: ["proxy"] },
          url: { type: "string", pattern: "^https?://[^\\s]+$" },
          isDefault: { type: "boolean" },
          editable: { const: false },
          jsonData: {
            type: "object",
            additionalProperties: false,
            required: ["implementation"],
            properties: { implementation: { enum: ["prometheus", "mimir", "cortex"] }, handleGrafanaManagedAlerts: { type: "boolean" } },
          },
        },
      },
    },
  },
};

const dashboardProvider = {
  type: "object",
  additionalProperties: false,
  required: ["apiVersion", "providers"],
  properties: {
    apiVersion: { const: 1 },
    providers: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["name", "type", "options"],
        properties: {
          name: { type: "string", minLength: 1 },
          orgId: { type: "integer", minimum: 1 },
          folder: { type: "string" },
          type: { const: "file" },
          disableDeletion: { type: "boolean" },
          allowUiUpdates: { type: "boolean" },
          updateIntervalSeconds: { type: "integer", minimum: 10 },
          options: {
            type: "object",
            additionalProperties: false,
            required: ["path"],
            properties: { path: { type: "string", pattern: "^/" } },
          },
        },
      },
    },
  },
};

const datasourceRef = {
  type: "object",
  required: ["type", "uid"],
  properties: { type: { const: "prometheus" }, uid: { type: "string", minLength: 1 } },
};

const dashboard = {
  type: "object",
  required: ["uid", "title", "schemaVersion", "panels"],
  properties: {
    uid: { type: "string", pattern: "^[a-zA-Z0-9_-]{1,40}$" },
    title: { type: "string", minLength: 1 },
    schemaVersion: { type: "integer", minimum: 30 },
    panels: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        required: ["id", "type", "title", "gridPos", "datasource", "targets"],
        properties: {
          id: { type: "integer", minimum: 1 },
          type: { enum: ["timeseries", "stat", "gauge", "table"] },
          title: { type: "string", minLength: 1 },
          datasource: datasourceRef,
          gridPos: {
            type: "object",
            required: ["h", "w", "x", "y"],
            properties: {
              h: { type: "integer", minimum: 1 },
              w: { type: "integer", minimum: 1, maximum: 24 },
              x: { type: "integer", minimum: 0, maximum: 23 },
              y: { type: "integer", minimum: 0 },
            },
          },
          targets: {
            type: "array",
            minItems: 1,
            items: {
              type: "object",
              required: ["refId", "expr"],
              properties: { refId: { type: "string" }, expr: { type: "string", minLength: 1 }, datasource: datasourceRef },
            },
          },
        },
      },
    },
  },
};

export const GRAFANA_SCHEMAS: Record<GrafanaFileKind, object> = {
  datasources,
  "dashboard-provider": dashboardProvider,
  dashboard,
};
