import type { IdpVariant, VariantFeature } from '../types.js';
import { SettingError } from '../settings-table.js';
import type { OktaSettings } from './settings.js';

/*
 * Apps of Okta's catalogue (OIN) whose To App features are fixed by the app, as data: the features
 * each offers and the Okta profile attributes it maps. The simulator's settings, the scenario
 * description and the report's scorecard all read this table.
 */

type Switch = keyof OktaSettings['provisioningFeatures'];

/**
 * Okta's To App features, in the order of its Provisioning tab (Okta ref §4–§10), each with its
 * switch in `settings.provisioningFeatures`. Reactivation has none: it follows from assignment and
 * Okta user status (Okta ref §7), and an app lists it apart only when it offers it.
 */
const TO_APP_FEATURES: readonly { key: string; label: string; switch?: Switch }[] = [
  { key: 'createUsers', label: 'Create Users', switch: 'createUsers' },
  { key: 'updateUserAttributes', label: 'Update User Attributes', switch: 'updateUserAttributes' },
  { key: 'deactivateUsers', label: 'Deactivate Users', switch: 'deactivateUsers' },
  { key: 'reactivateUsers', label: 'Reactivate Users' },
  { key: 'syncPassword', label: 'Sync Password', switch: 'syncPassword' },
  { key: 'importUsers', label: 'Import Users', switch: 'importUsers' },
  { key: 'importGroups', label: 'Import Groups', switch: 'importGroups' },
  { key: 'pushGroups', label: 'Push Groups', switch: 'pushGroups' },
];

/**
 * What an Okta scenario may cover: the To App features (whose scorecard rows a catalogue app's
 * section lists), and Test API Credentials, the check every app's setup runs (Okta ref §3).
 */
export const OKTA_CAPABILITIES: readonly string[] = [...TO_APP_FEATURES.map((feature) => feature.key), 'testApiCredentials'];

export interface OktaApp {
  /** As the scorecard and the docs name it. */
  title: string;
  /** The app's name in Okta's admin messages. */
  appName: string;
  /** Where its features are documented. */
  source: string;
  /** The features it offers, by key, with the app's own wording when it has one; the others it lacks. */
  offers: Readonly<Record<string, string>>;
  /** The Okta profile attributes it maps, besides the app username sent as userName. */
  maps: readonly string[];
}

export const OKTA_APPS = {
  /**
   * Postman's OIN app: Create Users, Update User Attributes limited to first and last name,
   * Deactivate, Reactivate; no Push Groups, no Import, no password sync, no other attributes
   * (Postman ref §7, PM-39). An OIN integration: PATCH for state, PUT for the profile.
   */
  postman: {
    title: 'Postman',
    appName: 'Postman',
    source: 'Postman ref §7',
    offers: {
      createUsers: 'Create Users',
      updateUserAttributes: 'Update User Attributes (first and last name)',
      deactivateUsers: 'Deactivate Users',
      reactivateUsers: 'Reactivate Users',
    },
    maps: ['firstName', 'lastName'],
  },
} as const satisfies Record<string, OktaApp>;

export type OktaAppName = keyof typeof OKTA_APPS;

export const OKTA_APP_NAMES = Object.keys(OKTA_APPS) as OktaAppName[];

/** Every To App feature, offered or not by `app`, in the Provisioning tab's order. */
function appFeatures(app: OktaApp): VariantFeature[] {
  return TO_APP_FEATURES.map(({ key, label }) => ({ key, label: app.offers[key] ?? label, offered: Object.hasOwn(app.offers, key) }));
}

/** The `app` setting's description: each app and the features it offers. */
export function appSettingDescription(): string {
  const apps = Object.entries(OKTA_APPS as Record<string, OktaApp>).map(([name, app]) => {
    const features = appFeatures(app);
    const offered = features.filter((f) => f.offered).map((f) => f.label);
    const lacking = features.filter((f) => !f.offered).map((f) => f.label);
    return `${name}: ${app.title}'s OIN app (${app.source}), offering ${offered.join(', ')}; ${lacking.join(', ')} cannot be switched on`;
  });
  return `An app of Okta's catalogue whose To App features the app fixes. ${apps.join('. ')}. Unset: the SCIM 2.0 Test App template (oin) or a custom app (aiw), every feature available.`;
}

const given = (raw: unknown, ...path: string[]): unknown => {
  let at = raw;
  for (const key of path) at = typeof at === 'object' && at !== null && Object.hasOwn(at, key) ? (at as Record<string, unknown>)[key] : undefined;
  return at;
};

/**
 * The settings an app fixes, over those read from the scenario (`raw` as written): the features it
 * lacks are off, and switching one on is refused where it is written, as are settings the app
 * cannot have; its name is the admin messages' unless `appName` is given.
 */
export function withApp(settings: OktaSettings, raw: unknown): OktaSettings {
  if (settings.app === undefined) return settings;
  const app: OktaApp = OKTA_APPS[settings.app];
  const refuse = (path: string[], why: string) => {
    throw new SettingError(`settings.${path.join('.')}: ${why} (${app.source})`, ['settings', ...path]);
  };
  if (settings.variant !== 'oin') refuse(['variant'], `the ${app.title} app is an OIN integration: it sends state changes as PATCH and profile updates as PUT`);
  if (settings.userUpdateMethod !== 'PUT') refuse(['userUpdateMethod'], `the ${app.title} app pushes profile updates as a GET and a PUT of the whole user`);
  if (settings.extendedMappings) refuse(['extendedMappings'], `the ${app.title} app maps only the username and ${app.maps.join(', ')}`);
  const provisioningFeatures = { ...settings.provisioningFeatures };
  for (const { key, label, switch: name } of TO_APP_FEATURES) {
    if (name === undefined || Object.hasOwn(app.offers, key)) continue;
    if (given(raw, 'provisioningFeatures', name) === true) refuse(['provisioningFeatures', name], `the ${app.title} app does not offer ${label}: Okta has no such switch for it`);
    provisioningFeatures[name] = false;
  }
  return { ...settings, provisioningFeatures, appName: given(raw, 'appName') === undefined ? app.appName : settings.appName };
}

/**
 * The scorecard's section for a scenario's settings: an app of the catalogue with its features
 * (`okta.postman`), else the integration variant (Okta ref §1).
 */
export function oktaVariant(settings: OktaSettings): IdpVariant {
  if (settings.app !== undefined) {
    const app: OktaApp = OKTA_APPS[settings.app];
    return { key: `okta.${settings.app}`, title: `Okta To App features · ${app.title} app (OIN)`, features: appFeatures(app) };
  }
  return { key: `okta.${settings.variant}`, title: `Okta To App features · ${settings.variant.toUpperCase()}` };
}
