import { describe, expect, it } from 'vitest';
import { IDPS } from '../../../harness/idp/registry.js';
import { loadScenarios } from '../../../harness/scenario/load.js';
import { loadErrors, tempFolder } from './helpers.js';

const folder = tempFolder();
const errorsOf = (text: string) => loadErrors(folder, text);

/** An IdP scenario with this directory and these steps (YAML, indented as under `steps:`). */
const scenario = (idp: string, directory: string, steps: string) => `id: t.x\ntitle: t\nrefs: [r]\nidp: ${idp}\ndirectory:\n${directory}steps:\n${steps}`;
const OKTA_DIRECTORY = '  users:\n    grace: { login: grace@example.com }\n  groups:\n    eng: { members: [grace] }\n';
const ENTRA_DIRECTORY = '  users:\n    adele: { userPrincipalName: adele@contoso.com }\n  groups:\n    sales: { members: [adele] }\n';

describe('IdP events, checked when the file is loaded', () => {
  it('refuses an event the IdP does not have, saying which was meant or which there are', async () => {
    expect(await errorsOf(scenario('okta', OKTA_DIRECTORY, '  - unasign: grace\n  - frobnicate: grace\n  - cycel: initial\n'))).toEqual([
      "bad.yaml:11:5: 'unasign' is not an Okta event: did you mean 'unassign'?",
      "bad.yaml:12:5: 'frobnicate' is not an Okta event (events: assign, unassign, update, deactivate, reactivate, suspend, unsuspend, delete, password, push-group, add-member, remove-member, rename-group, push-now, unlink-group, import-users, import-groups, enable-provisioning, force-sync, provision-user, retry-tasks, test-credentials, advance; see docs/okta.md)",
      "bad.yaml:13:5: 'cycel' is not an Okta event (events: assign, unassign, update, deactivate, reactivate, suspend, unsuspend, delete, password, push-group, add-member, remove-member, rename-group, push-now, unlink-group, import-users, import-groups, enable-provisioning, force-sync, provision-user, retry-tasks, test-credentials, advance; see docs/okta.md)",
    ]);
    expect(await errorsOf(scenario('entra', ENTRA_DIRECTORY, '  - cycel: initial\n'))).toEqual(["bad.yaml:11:5: 'cycel' is not an Entra event: did you mean 'cycle'?"]);
  });

  it('refuses a name the directory does not have, in events, the directory itself, target and outcome', async () => {
    const directory = '  users:\n    grace: { login: grace@example.com }\n  groups:\n    eng: { members: [grace, ada] }\n';
    const steps = ['  - unassign: gracie', '  - add-member: { group: engineering, user: grace }', '  - expect:', '      target: { gracie: { active: false } }', '      outcome: { user: ada }', ''];
    expect(await errorsOf(scenario('okta', directory, steps.join('\n')))).toEqual([
      'bad.yaml:9:29: directory.groups.eng.members[1]: "ada" is not a user in directory.users (grace)',
      `bad.yaml:11:15: steps[0].unassign: "gracie" is not a user in directory.users (grace): did you mean 'grace'?`,
      'bad.yaml:12:26: steps[1].add-member.group: "engineering" is not a group in directory.groups (eng)',
      `bad.yaml:14:17: steps[2].expect.target: "gracie" is not a user or group of the directory (grace, eng): did you mean 'grace'?`,
      'bad.yaml:15:24: steps[2].expect.outcome.user: "ada" is not a user in directory.users (grace)',
    ]);
  });

  it("knows that Entra's bare names find groups as well as users, and its references", async () => {
    const directory = '  users:\n    adele: { userPrincipalName: adele@contoso.com, manager: megan }\n  groups:\n    sales: { members: [adele] }\n  assignments: [sales, nobody]\n';
    const steps = '  - assign: sales\n  - unassign: { user: sales }\n  - hard-delete: { group: adele }\n';
    expect(await errorsOf(scenario('entra', directory, steps))).toEqual([
      'bad.yaml:7:61: directory.users.adele.manager: "megan" is not a user in directory.users (adele)',
      'bad.yaml:10:24: directory.assignments[1]: "nobody" is not a user or group of the directory (adele, sales)',
      'bad.yaml:14:27: steps[2].hard-delete.group: "adele" is not a group in directory.groups (sales)',
    ]);
  });

  it('refuses arguments of the wrong shape, saying what the event takes', async () => {
    const steps = [
      '  - assign: 42',
      '  - assign: { usr: grace }',
      '  - assign: { user: grace, group: eng }',
      '  - assign: { group: eng, via: eng }',
      '  - update: { user: grace }',
      '  - update: { user: grace, set: { id: 00u1, title: Dr } }',
      '  - unlink-group: { group: eng, delete: yes }',
      '  - push-group: { group: eng, match: crate }',
      '  - advance: soon',
      '  - import-users: { now: true }',
      '  - remove-member: grace',
      '',
    ];
    expect(await errorsOf(scenario('okta', OKTA_DIRECTORY, steps.join('\n')))).toEqual([
      'bad.yaml:11:13: steps[0].assign must be a user name or a mapping { user, group, via }, got 42',
      "bad.yaml:12:15: unknown key 'usr' in steps[1].assign: did you mean 'user'?",
      'bad.yaml:13:13: steps[2].assign takes user or group, not both',
      "bad.yaml:14:27: 'via' in steps[3].assign goes with 'user', which is missing",
      "bad.yaml:15:13: steps[4].update needs 'set'",
      'bad.yaml:16:35: steps[5].update.set cannot set id: ids are fixed in the directory',
      'bad.yaml:17:41: steps[6].unlink-group.delete must be true or false, got "yes"',
      `bad.yaml:18:38: steps[7].push-group.match must be one of create, link, got "crate": did you mean 'create'?`,
      'bad.yaml:19:14: steps[8].advance must be a duration (90s, 40m, 1h30m), got "soon"',
      'bad.yaml:20:19: steps[9].import-users takes no argument (write "- import-users:"), got {"now":true}',
      'bad.yaml:21:20: steps[10].remove-member must be a mapping { group, user }, got "grace"',
    ]);
  });

  it('accepts every form an event takes', async () => {
    const steps = [
      '  - assign: grace',
      '  - assign: { user: grace, via: eng }',
      '  - unassign: { group: eng }',
      '  - update: { user: grace, set: { title: Dr, department: null } }',
      '  - password: { user: grace, value: N3w! }',
      '  - push-group: eng',
      '  - advance: 1h30m',
      '  - advance: 90000',
      '  - import-users:',
      '  - test-credentials: true',
      '',
    ];
    expect(await errorsOf(scenario('okta', OKTA_DIRECTORY, steps.join('\n')))).toEqual([]);
  });
});

describe('settings and directory fields', () => {
  it('are checked by the fields the simulator declares, with did-you-mean', async () => {
    const text = `id: t.x\ntitle: t\nrefs: [r]\nidp: okta\nsettings: { varient: aiw, pageSize: 0 }\ndirectory:\n  users:\n    grace: { login: grace@example.com, status: active }\n  groups:\n    eng: { name: Eng, color: red }\nsteps:\n  - assign: grace\n`;
    expect(await errorsOf(text)).toEqual([
      "bad.yaml:5:13: unknown key 'varient' in settings: did you mean 'variant'?",
      'bad.yaml:5:37: settings.pageSize must be a positive integer, got 0',
      `bad.yaml:8:48: directory.users.grace.status must be one of ACTIVE, SUSPENDED, DEPROVISIONED, got "active": did you mean 'ACTIVE'?`,
      "bad.yaml:10:23: unknown key 'color' in directory.groups.eng (known keys: name, members, id)",
    ]);
  });

  it("say when a user lacks the IdP's own username field", async () => {
    const text = scenario('entra', '  users:\n    adele: { userName: adele@contoso.com }\n', '  - assign: adele\n');
    expect(await errorsOf(text)).toEqual(["bad.yaml:7:12: directory.users.adele needs 'userPrincipalName'"]);
  });
});

describe('expected outcome records', () => {
  it("have the keys of Okta's task results, with the values they take", async () => {
    const steps = '  - assign: grace\n  - expect:\n      outcome: [succes, { eventType: application.provision.user.push, stauts: success }, { attempts: 0 }, { foo: 1 }]\n';
    expect(await errorsOf(scenario('okta', OKTA_DIRECTORY, steps))).toEqual([
      `bad.yaml:13:17: steps[1].expect.outcome[0] must be one of success, failure, got "succes": did you mean 'success'?`,
      "bad.yaml:13:71: unknown key 'stauts' in steps[1].expect.outcome[1]: did you mean 'status'?",
      'bad.yaml:13:102: steps[1].expect.outcome[2].attempts must be a positive integer, got 0',
      "bad.yaml:13:109: unknown key 'foo' in steps[1].expect.outcome[3] (an Okta record has eventType, check, status, user, group, message, attempts, waits, linked, reactivated, scanned, inactive, pages, groups, memberships)",
    ]);
  });

  it('refuse log, their former name, with the one to use', async () => {
    const steps = '  - assign: grace\n  - expect:\n      sent: []\n      log: [success]\n';
    expect(await errorsOf(scenario('okta', OKTA_DIRECTORY, steps))).toEqual(["bad.yaml:14:7: 'log' is now 'outcome': rename it"]);
  });

  it("have the keys of Entra's log records and job status, and take matchers", async () => {
    const steps = [
      '  - assign: adele',
      '  - cycle: initial',
      '  - expect:',
      '      outcome:',
      '        - { user: adele, action: Create, status: success }',
      '        - { user: adele, actoin: Create, reason: { contains: Conflict }, errorCode: { matches: "^Entry" } }',
      '        - { code: Quarantined, quarantine: { reson: TooManyDeletes } }',
      '',
    ];
    expect(await errorsOf(scenario('entra', ENTRA_DIRECTORY, steps.join('\n')))).toEqual([
      `bad.yaml:15:50: steps[2].expect.outcome[0].status must be one of Success, Failure, Skipped, Warning, got "success": did you mean 'Success'?`,
      "bad.yaml:16:26: unknown key 'actoin' in steps[2].expect.outcome[1]: did you mean 'action'?",
      `bad.yaml:17:19: steps[2].expect.outcome[2].code must be one of NotRun, Active, Paused, Quarantine, got "Quarantined": did you mean 'Quarantine'?`,
      "bad.yaml:17:46: unknown key 'reson' in steps[2].expect.outcome[2].quarantine: did you mean 'reason'?",
    ]);
  });
});

describe('matchers and paths', () => {
  it('refuse a key close to a matcher name where a matcher goes, rather than compare with it as a value', async () => {
    const text = `id: t.x
title: t
refs: [r]
steps:
  - request: { method: GET, path: /Users }
    expect:
      headers: { content-type: { matchs: json } }
      body:
        totalResults: { equal: 0 }
        Resources: { lenght: 0 }
        Resources[0].emails: { not: { contain: x } }
        Resources[0].name: { type: object, Equals: { givenName: Ada } }
        Resources[0].emails[0]: { type: work, value: a@example.com }
        Resources[0].meta: { note: x, value: y }
`;
    const hint = (key: string) => `(to compare with a mapping whose member is '${key}', write { equals: { ${key}: … } })`;
    expect(await errorsOf(text)).toEqual([
      `bad.yaml:7:34: unknown matcher 'matchs' in steps[0].expect.headers.content-type: did you mean 'matches'? ${hint('matchs')}`,
      `bad.yaml:9:25: unknown matcher 'equal' in steps[0].expect.body.totalResults: did you mean 'equals'? ${hint('equal')}`,
      `bad.yaml:10:22: unknown matcher 'lenght' in steps[0].expect.body.Resources: did you mean 'length'? ${hint('lenght')}`,
      `bad.yaml:11:39: unknown matcher 'contain' in steps[0].expect.body["Resources[0].emails"].not: did you mean 'contains'? ${hint('contain')}`,
      `bad.yaml:12:44: unknown matcher 'Equals' in steps[0].expect.body["Resources[0].name"]: did you mean 'equals'? ${hint('Equals')}`,
    ]);
  });

  it("refuse them in an IdP's sent, target and outcome too", async () => {
    const steps = [
      '  - assign: grace',
      '  - expect:',
      '      sent: [{ path: { matchs: "^/Users" }, query: { filter: { contain: grace } } }]',
      '      target: { grace: { active: { equal: true } } }',
      '      outcome: { status: { oneof: [success] } }',
      '',
    ];
    const errors = await errorsOf(scenario('okta', OKTA_DIRECTORY, steps.join('\n')));
    expect(errors.map((e) => e.replace(/ \(to compare .*/, ''))).toEqual([
      "bad.yaml:13:24: unknown matcher 'matchs' in steps[1].expect.sent[0].path: did you mean 'matches'?",
      "bad.yaml:13:64: unknown matcher 'contain' in steps[1].expect.sent[0].query.filter: did you mean 'contains'?",
      "bad.yaml:14:36: unknown matcher 'equal' in steps[1].expect.target.grace.active: did you mean 'equals'?",
      "bad.yaml:15:28: unknown matcher 'oneof' in steps[1].expect.outcome.status: did you mean 'oneOf'?",
    ]);
  });

  it('take matchers at any depth of a sent body and an outcome record, each checked where it is', async () => {
    const good = [
      '  - cycle: initial',
      '  - expect:',
      '      sent: [{ method: POST, body: { name: { familyName: { contains: V } }, emails: [{ value: { matches: "@contoso" }, type: work }], nickName: { absent: true } } }]',
      '      outcome: { code: Quarantine, quarantine: { reason: { oneOf: [TooManyDeletes] }, error: { message: { contains: x } } } }',
      '',
    ];
    expect(await errorsOf(scenario('entra', ENTRA_DIRECTORY, good.join('\n')))).toEqual([]);
    const bad = [
      '  - cycle: initial',
      '  - expect:',
      '      sent: [{ method: POST, body: { emails: [{ type: home }], name: { familyName: { contian: V } }, active: { absent: maybe } } }]',
      '      outcome: { quarantine: { reason: { matches: "(" }, seriesCount: { length: -1 } } }',
      '',
    ];
    expect(await errorsOf(scenario('entra', ENTRA_DIRECTORY, bad.join('\n')))).toEqual([
      'bad.yaml:13:55: steps[1].expect.sent[0].body.emails[0].type must be one of string, number, integer, boolean, object, array, null (to compare with a mapping that has a type member, write { equals: { type: … } }), got "home"',
      "bad.yaml:13:86: unknown matcher 'contian' in steps[1].expect.sent[0].body.name.familyName: did you mean 'contains'? (to compare with a mapping whose member is 'contian', write { equals: { contian: … } })",
      'bad.yaml:13:120: steps[1].expect.sent[0].body.active.absent must be true or false, got "maybe"',
      'bad.yaml:14:51: steps[1].expect.outcome.quarantine.reason.matches is not a valid regular expression: /(/: Unterminated group',
      'bad.yaml:14:81: steps[1].expect.outcome.quarantine.seriesCount.length must be a whole number, 0 or more, got -1',
    ]);
  });

  it('refuse a body or target path ending in .length, saying how to check a length', async () => {
    const text = `id: t.x
title: t
refs: [r]
steps:
  - request: { method: GET, path: /Users }
    expect:
      body:
        Resources.length: 0
        Resources[0].emails.length: { equals: 2 }
        Resources[0]["length"]: 1
`;
    expect(await errorsOf(text)).toEqual([
      "bad.yaml:8:9: 'Resources.length' reads a member named length, not how many there are: write Resources: { length: 0 }",
      "bad.yaml:9:9: 'Resources[0].emails.length' reads a member named length, not how many there are: write Resources[0].emails: { length: N }",
    ]);
    const steps = '  - assign: grace\n  - expect:\n      target: { grace: { emails.length: 1, "name..x": 1 } }\n';
    expect(await errorsOf(scenario('okta', OKTA_DIRECTORY, steps))).toEqual([
      "bad.yaml:13:26: 'emails.length' reads a member named length, not how many there are: write emails: { length: 1 }",
      'bad.yaml:13:44: body path "name..x" is malformed at character 6: expected an attribute name',
    ]);
  });
});

describe('the IdPs the loader is given', () => {
  it('are the only ones a scenario may name', async () => {
    const { dir, write } = await folder();
    await write('entra.yaml', scenario('entra', ENTRA_DIRECTORY, '  - assign: adele\n'));
    const { errors } = await loadScenarios([dir], { idps: { okta: IDPS.okta! } });
    expect(errors.map((e) => String(e).slice(dir.length + 1))).toEqual(['entra.yaml:4:6: idp must be one of none, okta']);
  });
});
