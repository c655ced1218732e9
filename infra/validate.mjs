#!/usr/bin/env node
// Offline validation of infra/ (no Bicep compiler can be installed here; see docs/sections/infra.md).
//
//   node infra/validate.mjs [--infra <dir>]... [--code <java source dir>]
//
// With several --infra directories each is validated in turn, under a line "== infra <dir>" (the
// tests use this to check many damaged copies in one process).
//
// Checks, each of which fails the run (exit 1) with file:line:column:
//  1. syntax: every .bicep file parses with the tree-sitter Bicep grammar without ERROR or MISSING nodes;
//  2. api versions: every resource type@apiVersion (and every apiVersion literal passed to list*() or reference())
//     is listed in api-versions.txt, in the form Namespace.Provider/type@yyyy-mm-dd[-preview],
//     and the list holds no pair the templates do not use;
//  3. modules: each module path exists, each key under params: is a param of that module, and each
//     required param of the module (no default, not nullable) is passed;
//  4. load*Content() files exist;
//  5. main.parameters.json: well-formed ARM parameters file, every parameter is declared in
//     main.bicep, every required parameter is provided, values match the declared primitive type,
//     and objects in an array of a user-defined object type have its required fields and no others;
//  6. README: every built-in role definition GUID in the templates appears in infra/README.md's role
//     table and vice versa, on a row that names that role;
//  7. documentation: every param of every .bicep file has a @description;
//  8. references: every identifier used in an expression is declared (param, var, resource, module,
//     loop or lambda variable), every called function is a Bicep function, every user-defined type
//     used is declared, and every <module>.outputs.<name> is an output of that module;
//  9. app settings: every app setting name the templates can set (keys reachable from an appSettings
//     property or a sites/config 'appsettings' resource, through vars, module params, union(), ?:,
//     toObject(filter(items(x))) and [for s in items(x): {name: s.key}]) is read by the code (a string
//     literal in src/main/java, or --code <dir>) or is a platform setting (PLATFORM_SETTINGS); a name
//     that cannot be worked out from the template text is itself an error;
// 10. always ready: every Flex Consumption site (functionAppConfig.scaleAndConcurrency) lists an
//     alwaysReady entry named 'http' whose instanceCount is at least 1 by default: a literal, or a
//     param whose default (followed through the module call to main.bicep's own param, and any
//     main.parameters*.json value) is at least 1 and no larger than maximumInstanceCount's default;
// 11. role scope: every roleAssignments resource is in a resource-group-scoped file, no assignment or
//     module is given a subscription / managementGroup / tenant scope, and Reader or Monitoring Reader
//     is assigned (the per-resource metrics API needs one of them on the watched resource groups; the
//     batch API, which would need Monitoring Reader on the subscription, is not used);
// 12. alert rules: no metric alert on a running-counter metric (RestartCount); metric alerts on
//     Microsoft.App/containerApps name a known metric and only dimensions it supports (METRIC_DIMENSIONS);
//     a log search alert loads queries/restarts.kql (the restart trigger); every log search alert
//     sets resourceIdColumn '_ResourceId'.
// Exit codes: 0 valid, 1 invalid, 2 usage or internal error.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Parser from 'tree-sitter';
import Bicep from 'tree-sitter-bicep';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const API_PAIR = /^[A-Za-z][A-Za-z0-9]*\.[A-Za-z][A-Za-z0-9.]*\/[A-Za-z][A-Za-z0-9/]*@\d{4}-\d{2}-\d{2}(-preview)?$/;
// Built-in role definition IDs the templates may assign, with their role names (from Learn's
// built-in roles reference). A GUID not in this map is an error: look the role up and add it here.
const BUILT_IN_ROLES = new Map([
  ['acdd72a7-3385-48ef-bd42-f606fba81ae7', 'Reader'],
  ['43d0d8ad-25c7-4714-9337-8ba259a9fe05', 'Monitoring Reader'],
  ['73c42c96-874c-492b-b04d-ab87d138a893', 'Log Analytics Reader'],
  ['b7e6dc6d-f1e8-4753-8033-0f276bb0955b', 'Storage Blob Data Owner'],
  ['974c5e8b-45b9-4653-ba55-5f855dd0fb88', 'Storage Queue Data Contributor'],
  ['ba92f5b4-2d11-453d-a403-e96b0029c9fe', 'Storage Blob Data Contributor'],
  ['db58b8e5-c6ad-4a2a-8342-4190687cbf4a', 'Storage Blob Delegator'],
  ['0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3', 'Storage Table Data Contributor'],
  ['4633458b-17de-408a-b874-0445c86b69e6', 'Key Vault Secrets User'],
  ['3913510d-42f4-4e42-8a64-420c390055eb', 'Monitoring Metrics Publisher'],
]);
const GUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g;

// Dimensions per Microsoft.App/containerApps metric, from Learn's "Supported metrics for
// Microsoft.App/containerApps" (REST names). A metric alert that splits by another dimension is
// refused by Azure ("does not support requested dimension combination").
const METRIC_DIMENSIONS = new Map([
  ['WorkingSetBytes', ['revisionName', 'podName']],
  ['UsageNanoCores', ['revisionName', 'podName']],
  ['RestartCount', ['revisionName', 'podName']],
  ['RxBytes', ['revisionName', 'podName']],
  ['TxBytes', ['revisionName', 'podName']],
  ['Requests', ['revisionName', 'podName', 'statusCodeCategory', 'statusCode']],
  ['Replicas', ['revisionName']],
  ['MemoryPercentage', ['podName']],
  ['CpuPercentage', ['podName']],
  ['CoresQuotaUsed', ['revisionName']],
  ['TotalCoresQuotaUsed', []],
]);
// Metrics that are running counters: any window aggregation of them stays above a threshold once
// crossed, so a static-threshold metric alert on them fires once and never resolves.
const COUNTER_METRICS = new Map([
  ['RestartCount', 'a running counter per replica (restarts since the replica was created; microsoft/azure-container-apps #1384, #467)'],
]);
const ROLE_READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
const ROLE_MONITORING_READER = '43d0d8ad-25c7-4714-9337-8ba259a9fe05';
const WIDE_SCOPES = new Set(['subscription', 'managementGroup', 'tenant']);

// App settings the platform (Functions host, App Service, Application Insights) reads, not the code.
const PLATFORM_SETTINGS = [/^FUNCTIONS_/, /^AzureWebJobsStorage__/, /^APPLICATIONINSIGHTS_/, /^WEBSITE_/];

function parseArgs(argv) {
  const dirs = [];
  let code = path.resolve(HERE, '..', 'src', 'main', 'java');
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--infra' && argv[i + 1]) dirs.push(path.resolve(argv[++i]));
    else if (argv[i] === '--code' && argv[i + 1]) code = path.resolve(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]}; usage: node infra/validate.mjs [--infra <dir>]... [--code <java source dir>]`);
  }
  return { dirs: dirs.length ? dirs : [HERE], code };
}

/** Every identifier-like string literal ("NAME") in the Java sources under dir: the settings the code can read. */
function codeStringLiterals(dir) {
  const names = new Set();
  const visit = (d) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.name.endsWith('.java')) {
        for (const m of fs.readFileSync(full, 'utf8').matchAll(/"([A-Za-z_][A-Za-z0-9_]*)"/g)) names.add(m[1]);
      }
    }
  };
  if (!fs.existsSync(dir)) throw new Error(`no Java sources at ${dir} (use --code <dir>)`);
  visit(dir);
  return names;
}

// Findings of the directory being validated (reset for each --infra directory).
let problems = [];
let notes = [];
function problem(file, node, message) {
  const where = node ? `:${node.startPosition.row + 1}:${node.startPosition.column + 1}` : '';
  problems.push(`${file}${where}: ${message}`);
}

const parser = new Parser();
parser.setLanguage(Bicep);

function walk(node, visit) {
  visit(node);
  for (const child of node.children) walk(child, visit);
}

function stringValue(node) {
  // A plain string literal (no interpolation) -> its text; otherwise null.
  if (!node || node.type !== 'string') return null;
  if (node.namedChildren.some((c) => c.type === 'interpolation')) return null;
  return node.namedChildren.filter((c) => c.type === 'string_content' || c.type === 'escape_sequence').map((c) => c.text).join('');
}

function bicepFiles(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') out.push(...bicepFiles(full));
    else if (entry.isFile() && entry.name.endsWith('.bicep')) out.push(full);
  }
  return out.sort();
}

/** The declared params of a parsed file: name -> { type node, required, primitive }. */
function declaredParams(root) {
  const params = new Map();
  for (const decl of root.namedChildren.filter((n) => n.type === 'parameter_declaration')) {
    const name = decl.namedChildren.find((c) => c.type === 'identifier')?.text;
    const type = decl.namedChildren.find((c) => c.type === 'type');
    const hasDefault = decl.children.some((c) => c.type === '=');
    const nullable = type?.namedChildren[0]?.type === 'nullable_type';
    params.set(name, { node: decl, type, required: !hasDefault && !nullable });
  }
  return params;
}

/** User-defined object types: name -> Map(field -> { required }). */
function declaredTypes(root) {
  const types = new Map();
  for (const decl of root.namedChildren.filter((n) => n.type === 'type_declaration')) {
    const name = decl.namedChildren.find((c) => c.type === 'identifier')?.text;
    const obj = decl.namedChildren.find((c) => c.type === 'object');
    if (!name || !obj) continue;
    const fields = new Map();
    for (const prop of obj.namedChildren.filter((c) => c.type === 'object_property')) {
      const key = prop.namedChildren[0];
      const value = prop.namedChildren[prop.namedChildren.length - 1];
      fields.set(key.type === 'string' ? stringValue(key) : key.text, { required: value.type !== 'nullable_type', type: value });
    }
    types.set(name, fields);
  }
  return types;
}

function objectProperty(objectNode, key) {
  return objectNode?.namedChildren.find((p) => p.type === 'object_property' && (p.namedChildren[0].text === key || stringValue(p.namedChildren[0]) === key));
}

/** The object body of a module declaration (plain, conditional, loop, or conditional loop). */
function moduleBody(decl) {
  let node = decl.namedChildren[decl.namedChildren.length - 1];
  for (let i = 0; i < 3 && node && node.type !== 'object'; i++) {
    if (node.type === 'for_statement') node = node.childForFieldName('body') ?? node.namedChildren[node.namedChildren.length - 1];
    else if (node.type === 'if_statement') node = node.namedChildren[node.namedChildren.length - 1];
    else break;
  }
  return node?.type === 'object' ? node : null;
}

function checkSyntax(rel, tree) {
  walk(tree.rootNode, (n) => {
    if (n.type === 'ERROR') problem(rel, n, `syntax error near '${n.text.slice(0, 60).replace(/\s+/g, ' ')}'`);
    else if (n.isMissing) problem(rel, n, `syntax error: missing '${n.type}'`);
  });
}

// Bicep's built-in functions (namespaces az and sys), as documented on Learn's Bicep functions pages.
const BICEP_FUNCTIONS = new Set(`
  any array bool int json string concat contains empty first last length min max range skip take
  indexOf lastIndexOf union intersection flatten filter map reduce sort toObject groupBy mapValue
  items objectKeys shallowMerge tryGet coalesce equals greater greaterOrEquals less lessOrEquals
  and or not base64 base64ToJson base64ToString dataUri dataUriToString endsWith startsWith format
  guid newGuid padLeft replace split substring toLower toUpper trim uniqueString uri uriComponent
  uriComponentToString utcNow dateTimeAdd dateTimeFromEpoch dateTimeToEpoch join buildUri parseUri
  deployment deployer environment managementGroup resourceGroup subscription tenant
  extensionResourceId managementGroupResourceId resourceId subscriptionResourceId tenantResourceId
  pickZones providers reference list listKeys listAccountSas listServiceSas listSecrets
  loadTextContent loadJsonContent loadYamlContent loadFileAsBase64 readEnvironmentVariable
  cidrHost cidrSubnet parseCidr mod fail
`.trim().split(/\s+/));
const NAMESPACES = new Set(['az', 'sys']);

function same(a, b) {
  return !!a && !!b && a.startIndex === b.startIndex && a.endIndex === b.endIndex && a.type === b.type;
}

function outputsOf(root) {
  return new Set(root.namedChildren.filter((n) => n.type === 'output_declaration')
    .map((n) => n.namedChildren.find((c) => c.type === 'identifier')?.text));
}

function lambdaScope(lambda, scope) {
  const arrow = lambda.children.findIndex((c) => c.type === '=>');
  const inner = new Set(scope);
  lambda.children.slice(0, arrow).forEach((c) => walk(c, (v) => { if (v.type === 'identifier') inner.add(v.text); }));
  return inner;
}

function checkReferences(rel, file, root, parsed) {
  const globals = new Set();
  const types = new Set(root.namedChildren.filter((n) => n.type === 'type_declaration').map((n) => n.namedChildren.find((c) => c.type === 'identifier')?.text));
  const modules = new Map();
  walk(root, (n) => {
    if (['parameter_declaration', 'variable_declaration', 'resource_declaration', 'module_declaration', 'user_defined_function'].includes(n.type)) {
      const name = n.namedChildren.find((c) => c.type === 'identifier')?.text;
      if (name) globals.add(name);
      if (n.type === 'module_declaration') {
        const target = path.resolve(path.dirname(file), stringValue(n.namedChildren.find((c) => c.type === 'string')) ?? '');
        if (parsed.has(target)) modules.set(name, { rel: path.relative(path.dirname(file), target), outputs: outputsOf(parsed.get(target).rootNode) });
      }
    }
  });

  function visit(node, scope) {
    switch (node.type) {
      case 'decorators':
      case 'comment':
      case 'string_content':
        return;
      case 'type':
        walk(node, (t) => {
          if (t.type === 'identifier' && !types.has(t.text)) problem(rel, t, `unknown type '${t.text}'`);
        });
        return;
      case 'lambda_expression': {
        const arrow = node.children.findIndex((c) => c.type === '=>');
        const inner = lambdaScope(node, scope);
        node.children.slice(arrow + 1).forEach((c) => visit(c, inner));
        return;
      }
      case 'subscript_expression': {
        // The grammar parses `s => names[s.key]` as `(s => names)[s.key]`; Bicep reads the index as
        // part of the lambda body, so the lambda's parameters are in scope there.
        const object = node.childForFieldName('object');
        const index = node.childForFieldName('index');
        visit(object, scope);
        visit(index, object?.type === 'lambda_expression' ? lambdaScope(object, scope) : scope);
        return;
      }
      case 'for_statement': {
        const inner = new Set(scope);
        const init = node.childForFieldName('initializer');
        const params = node.namedChildren.find((c) => c.type === 'for_loop_parameters');
        if (init) inner.add(init.text);
        params?.namedChildren.forEach((c) => inner.add(c.text));
        const inIndex = node.children.findIndex((c) => c.type === 'in');
        node.children.forEach((c, i) => {
          if (same(c, init) || same(c, params)) return;
          visit(c, i > inIndex ? inner : scope);
        });
        return;
      }
      case 'object_property': {
        // The key is a name, not a reference; the value is an expression.
        node.namedChildren.slice(1).forEach((c) => visit(c, scope));
        return;
      }
      case 'call_expression': {
        const fn = node.childForFieldName('function');
        if (fn?.type === 'identifier' && !BICEP_FUNCTIONS.has(fn.text) && !/^list[A-Z]/.test(fn.text) && !globals.has(fn.text)) {
          problem(rel, fn, `unknown function '${fn.text}'`);
        } else if (fn && fn.type !== 'identifier') {
          visit(fn, scope);
        }
        const args = node.childForFieldName('arguments');
        if (args) visit(args, scope);
        return;
      }
      case 'member_expression': {
        // <module>.outputs.<name> must be an output of that module.
        const chain = [];
        let obj = node;
        while (obj?.type === 'member_expression' || obj?.type === 'subscript_expression') {
          if (obj.type === 'member_expression') chain.unshift(obj.childForFieldName('property')?.text);
          obj = obj.childForFieldName('object');
        }
        if (obj?.type === 'identifier' && modules.has(obj.text) && chain[0] === 'outputs' && chain[1]) {
          const m = modules.get(obj.text);
          if (!m.outputs.has(chain[1])) problem(rel, node, `module ${m.rel} has no output '${chain[1]}'`);
        }
        if (obj?.type === 'identifier' && NAMESPACES.has(obj.text)) return;
        visit(node.childForFieldName('object'), scope);
        return;
      }
      case 'identifier':
        if (!scope.has(node.text)) problem(rel, node, `'${node.text}' is not declared`);
        return;
      default:
        break;
    }
    // Declarations: skip their own name.
    const declaredName = ['parameter_declaration', 'variable_declaration', 'resource_declaration', 'module_declaration',
      'output_declaration', 'type_declaration', 'user_defined_function', 'metadata_declaration'].includes(node.type)
      ? node.namedChildren.find((c) => c.type === 'identifier') : null;
    if (node.type === 'type_declaration') return;
    for (const child of node.namedChildren) {
      if (!same(child, declaredName)) visit(child, scope);
    }
  }
  visit(root, globals);
}

function checkDescriptions(rel, root) {
  const children = root.namedChildren;
  children.forEach((decl, i) => {
    if (decl.type !== 'parameter_declaration') return;
    const previous = children[i - 1];
    const decorators = previous?.type === 'decorators' ? previous.namedChildren : [];
    const described = decorators.some((d) => /^@(sys\.)?description\(/.test(d.text));
    if (!described) {
      const name = decl.namedChildren.find((c) => c.type === 'identifier')?.text;
      problem(rel, decl, `param '${name}' has no @description`);
    }
  });
}

/**
 * The app setting names the templates can set, as Map(name -> [{ rel, node }]). Follows the value of
 * every appSettings property (and sites/config 'appsettings' properties) through vars, module params
 * (to what the callers pass), union(), ?:, (), toObject(filter(items(x)), s => s.key) and
 * [for s in items(x): { name: s.key }]. Anything else is reported: a name the check cannot see is
 * a name it cannot vouch for.
 */
function appSettingNames(infra, parsed) {
  const found = new Map();
  const add = (name, rel, node) => {
    if (!found.has(name)) found.set(name, []);
    found.get(name).push({ rel, node });
  };
  const declarations = (root, type) => new Map(root.namedChildren.filter((n) => n.type === type)
    .map((n) => [n.namedChildren.find((c) => c.type === 'identifier')?.text, n]));
  const lastChild = (n) => n.namedChildren[n.namedChildren.length - 1];
  const keyName = (key) => (key.type === 'string' ? stringValue(key) : key.type === 'identifier' ? key.text : null);
  const seen = new Set();

  // Callers of each module file: [{ file, tree, paramsObject }].
  const callers = new Map();
  for (const [file, tree] of parsed) {
    for (const decl of tree.rootNode.namedChildren.filter((n) => n.type === 'module_declaration')) {
      const target = path.resolve(path.dirname(file), stringValue(decl.namedChildren.find((c) => c.type === 'string')) ?? '');
      const paramsObj = objectProperty(moduleBody(decl), 'params')?.namedChildren.at(-1);
      if (!callers.has(target)) callers.set(target, []);
      callers.get(target).push({ file, paramsObj });
    }
  }

  function unknown(ctx, node, what) {
    problem(ctx.rel, node, `cannot tell which app setting names ${what} '${node.text.slice(0, 60).replace(/\s+/g, ' ')}' sets (keep setting names literal)`);
  }

  /** The "list" argument of toObject(): returns the object expression X of items(X), or null. */
  function itemsSource(node, ctx) {
    if (node?.type === 'parenthesized_expression') return itemsSource(node.namedChildren[0], ctx);
    if (node?.type === 'identifier') {
      const v = ctx.vars.get(node.text);
      return v ? itemsSource(lastChild(v), ctx) : null;
    }
    if (node?.type !== 'call_expression') return null;
    const fn = node.childForFieldName('function')?.text;
    const args = node.childForFieldName('arguments')?.namedChildren ?? [];
    if (fn === 'items') return args[0];
    if (fn === 'filter' || fn === 'sort') return itemsSource(args[0], ctx);
    return null;
  }

  /** True when the lambda (or the grammar's `(s => s).key` reading of it) yields the item's key. */
  function yieldsKey(lambda) {
    if (lambda?.type === 'member_expression') {
      return lambda.childForFieldName('object')?.type === 'lambda_expression' && lambda.childForFieldName('property')?.text === 'key';
    }
    if (lambda?.type === 'lambda_expression') {
      const body = lastChild(lambda);
      return body?.type === 'member_expression' && body.childForFieldName('property')?.text === 'key';
    }
    return false;
  }

  function keysOf(node, ctx) {
    if (!node) return;
    const id = `${ctx.file}:${node.startIndex}:${node.endIndex}`;
    if (seen.has(id)) return;
    seen.add(id);
    switch (node.type) {
      case 'object':
        for (const prop of node.namedChildren.filter((p) => p.type === 'object_property')) {
          const name = keyName(prop.namedChildren[0]);
          if (name) add(name, ctx.rel, prop.namedChildren[0]);
          else unknown(ctx, prop.namedChildren[0], 'the key');
        }
        return;
      case 'array':
        for (const item of node.namedChildren) {
          if (item.type === 'object') nameOf(objectProperty(item, 'name'), item, ctx, null);
          else if (item.type !== 'comment') unknown(ctx, item, 'the array element');
        }
        return;
      case 'for_statement': {
        const body = node.childForFieldName('body') ?? lastChild(node);
        const init = node.childForFieldName('initializer');
        const source = node.namedChildren.find((c) => c.type === 'call_expression' && c.childForFieldName('function')?.text === 'items');
        if (body?.type !== 'object') return unknown(ctx, node, 'the loop');
        nameOf(objectProperty(body, 'name'), body, ctx, init && source ? { variable: init.text, source: source.childForFieldName('arguments')?.namedChildren[0] } : null);
        return;
      }
      case 'parenthesized_expression':
        return keysOf(node.namedChildren[0], ctx);
      case 'ternary_expression':
        keysOf(node.childForFieldName('consequence'), ctx);
        keysOf(node.childForFieldName('alternative'), ctx);
        return;
      case 'call_expression': {
        const fn = node.childForFieldName('function')?.text;
        const args = node.childForFieldName('arguments')?.namedChildren ?? [];
        if (fn === 'union') return args.forEach((a) => keysOf(a, ctx));
        if (fn === 'toObject') {
          const source = itemsSource(args[0], ctx);
          if (source && yieldsKey(args[1])) return keysOf(source, ctx);
        }
        return unknown(ctx, node, 'the call');
      }
      case 'identifier': {
        const v = ctx.vars.get(node.text);
        if (v) return keysOf(lastChild(v), ctx);
        if (ctx.params.has(node.text)) {
          // A module param: the names are what its callers pass.
          for (const c of callers.get(ctx.file) ?? []) {
            const passed = objectProperty(c.paramsObj, node.text);
            if (passed) keysOf(lastChild(passed), contextOf(c.file));
          }
          return;
        }
        return unknown(ctx, node, 'the name');
      }
      default:
        return unknown(ctx, node, 'the expression');
    }
  }

  /** The `name:` of one { name, value } setting: a literal, or the key of a loop over items(x). */
  function nameOf(prop, item, ctx, loop) {
    const value = prop ? lastChild(prop) : null;
    const literal = stringValue(value);
    if (literal) return add(literal, ctx.rel, value);
    if (loop && value?.type === 'member_expression' && value.childForFieldName('object')?.text === loop.variable
        && value.childForFieldName('property')?.text === 'key') return keysOf(loop.source, ctx);
    unknown(ctx, value ?? item, 'the setting name');
  }

  const contexts = new Map();
  function contextOf(file) {
    if (!contexts.has(file)) {
      const root = parsed.get(file).rootNode;
      contexts.set(file, { file, rel: path.relative(infra, file), vars: declarations(root, 'variable_declaration'), params: declarations(root, 'parameter_declaration') });
    }
    return contexts.get(file);
  }

  for (const [file, tree] of parsed) {
    const ctx = contextOf(file);
    walk(tree.rootNode, (n) => {
      if (n.type === 'object_property' && keyName(n.namedChildren[0]) === 'appSettings') keysOf(lastChild(n), ctx);
      if (n.type === 'resource_declaration' && /^'Microsoft\.Web\/sites\/config@/i.test(n.namedChildren.find((c) => c.type === 'string')?.text ?? '')) {
        const body = lastChild(n);
        if (body?.type === 'object' && stringValue(lastChild(objectProperty(body, 'name') ?? body)) === 'appsettings') {
          keysOf(lastChild(objectProperty(body, 'properties') ?? body), ctx);
        }
      }
    });
  }
  return found;
}

function checkAppSettings(infra, parsed, codeNames) {
  const names = appSettingNames(infra, parsed);
  for (const [name, places] of names) {
    if (codeNames.has(name) || PLATFORM_SETTINGS.some((p) => p.test(name))) continue;
    for (const { rel, node } of places) {
      problem(rel, node, `app setting '${name}' is not read by the code (no "${name}" in src/main/java) and is not a platform setting`);
    }
  }
  return names.size;
}

function validateDir(infra, codeNames) {
  const files = bicepFiles(infra);
  if (files.length === 0) throw new Error(`no .bicep files under ${infra}`);

  const listFile = path.join(infra, 'api-versions.txt');
  const listed = new Map();
  if (!fs.existsSync(listFile)) problem('api-versions.txt', null, 'missing');
  else {
    fs.readFileSync(listFile, 'utf8').split('\n').forEach((line, i) => {
      const entry = line.replace(/#.*/, '').trim();
      if (!entry) return;
      if (!API_PAIR.test(entry)) problems.push(`api-versions.txt:${i + 1}: not Namespace.Provider/type@yyyy-mm-dd[-preview]: '${entry}'`);
      listed.set(entry.toLowerCase(), { entry, line: i + 1 });
    });
  }

  const parsed = new Map();
  for (const file of files) {
    const tree = parser.parse(fs.readFileSync(file, 'utf8'));
    parsed.set(file, tree);
    checkSyntax(path.relative(infra, file), tree);
    checkDescriptions(path.relative(infra, file), tree.rootNode);
  }

  for (const [file, tree] of parsed) checkReferences(path.relative(infra, file), file, tree.rootNode, parsed);
  const settingCount = checkAppSettings(infra, parsed, codeNames);

  const used = new Set();
  const roleGuids = new Map();
  let resourceCount = 0;
  for (const [file, tree] of parsed) {
    const rel = path.relative(infra, file);
    walk(tree.rootNode, (n) => {
      if (n.type === 'resource_declaration') {
        const typeNode = n.namedChildren.find((c) => c.type === 'string');
        const pair = stringValue(typeNode);
        resourceCount++;
        if (!pair || !API_PAIR.test(pair)) problem(rel, typeNode ?? n, `resource type is not a literal Namespace.Provider/type@apiVersion: ${typeNode?.text}`);
        else if (!listed.has(pair.toLowerCase())) problem(rel, typeNode, `${pair} is not listed in api-versions.txt`);
        else used.add(pair.toLowerCase());
      }
      if (n.type === 'call_expression') {
        const fn = n.childForFieldName('function')?.text ?? '';
        const args = n.childForFieldName('arguments')?.namedChildren ?? [];
        if ((/^list/i.test(fn) || fn === 'reference') && args.length >= 2) {
          const version = stringValue(args[1]);
          if (version && !/^\d{4}-\d{2}-\d{2}(-preview)?$/.test(version)) problem(rel, args[1], `${fn}() apiVersion '${version}' is not yyyy-mm-dd[-preview]`);
          else if (version && ![...listed.keys()].some((k) => k.endsWith(`@${version}`))) problem(rel, args[1], `${fn}() apiVersion ${version} matches no entry in api-versions.txt`);
        }
        if (/^load(Text|Json|Yaml|FileAsBase64)Content$/.test(fn)) {
          const target = stringValue(args[0]);
          if (target && !fs.existsSync(path.resolve(path.dirname(file), target))) problem(rel, args[0], `${fn}('${target}'): file not found`);
        }
        if (fn === 'subscriptionResourceId' && stringValue(args[0]) === 'Microsoft.Authorization/roleDefinitions') {
          // The GUID is usually a variable; collected below from the whole file text.
        }
      }
    });
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/'([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})'/g)) {
      roleGuids.set(m[1], rel);
    }
  }
  for (const [key, { entry, line }] of listed) {
    if (!used.has(key)) problems.push(`api-versions.txt:${line}: ${entry} is listed but no template uses it (keep the list exact)`);
  }

  // Modules: paths and params.
  let moduleCount = 0;
  for (const [file, tree] of parsed) {
    const rel = path.relative(infra, file);
    for (const decl of tree.rootNode.namedChildren.filter((n) => n.type === 'module_declaration')) {
      moduleCount++;
      const pathNode = decl.namedChildren.find((c) => c.type === 'string');
      const target = path.resolve(path.dirname(file), stringValue(pathNode) ?? '');
      const targetTree = parsed.get(target);
      if (!targetTree) {
        problem(rel, pathNode, `module ${pathNode?.text} not found among the .bicep files`);
        continue;
      }
      const declared = declaredParams(targetTree.rootNode);
      const body = moduleBody(decl);
      const paramsObj = objectProperty(body, 'params')?.namedChildren.at(-1);
      const passed = new Set();
      for (const prop of paramsObj?.namedChildren.filter((p) => p.type === 'object_property') ?? []) {
        const key = prop.namedChildren[0];
        const name = key.type === 'string' ? stringValue(key) : key.text;
        passed.add(name);
        if (!declared.has(name)) problem(rel, key, `module ${path.relative(infra, target)} has no param '${name}'`);
      }
      for (const [name, p] of declared) {
        if (p.required && !passed.has(name)) problem(rel, decl, `module ${path.relative(infra, target)}: required param '${name}' is not passed`);
      }
    }
  }

  // main.parameters.json against main.bicep.
  const mainFile = path.join(infra, 'main.bicep');
  const paramsFile = path.join(infra, 'main.parameters.json');
  if (!parsed.has(mainFile)) problem('main.bicep', null, 'missing');
  else if (!fs.existsSync(paramsFile)) problem('main.parameters.json', null, 'missing');
  else checkParametersFile(paramsFile, parsed.get(mainFile).rootNode, infra);
  for (const extra of fs.readdirSync(infra).filter((f) => /^main\.parameters\..+\.json$/.test(f))) {
    checkParametersFile(path.join(infra, extra), parsed.get(mainFile).rootNode, infra);
  }

  // Role table in README.
  const readme = path.join(infra, 'README.md');
  if (!fs.existsSync(readme)) problem('README.md', null, 'missing (the role table lives there)');
  else {
    const text = fs.readFileSync(readme, 'utf8');
    const inReadme = new Set(text.match(GUID) ?? []);
    for (const [guid, rel] of roleGuids) {
      const role = BUILT_IN_ROLES.get(guid);
      if (!role) problems.push(`${rel}: ${guid} is not a built-in role definition ID known to validate.mjs (look it up, then add it to BUILT_IN_ROLES)`);
      if (!inReadme.has(guid)) problems.push(`${rel}: role definition ${guid} is assigned but missing from README.md's role table`);
      else if (role && !text.split('\n').some((line) => line.includes(guid) && line.includes(role))) {
        problems.push(`README.md: the row with ${guid} does not name the role '${role}'`);
      }
    }
    for (const guid of inReadme) {
      if (!roleGuids.has(guid)) problems.push(`README.md: role definition ${guid} is in the table but no template assigns it`);
    }
  }

  checkAlwaysReady(infra, parsed);
  checkRoleScopes(infra, parsed);
  const rules = checkAlertRules(infra, parsed);

  checkChartLinks(parsed, infra, codeNames, roleGuids);

  notes.push(`${files.length} .bicep files, ${resourceCount} resource declarations, ${moduleCount} module calls, ${used.size} type@apiVersion pairs, ${roleGuids.size} role definitions, ${settingCount} app settings, ${rules} alert rules`);
}

/** The declared targetScope of a file ('resourceGroup' when absent). */
function targetScope(root) {
  const decl = root.namedChildren.find((n) => n.type === 'target_scope_assignment');
  return decl ? stringValue(decl.namedChildren.find((c) => c.type === 'string')) ?? decl.text : 'resourceGroup';
}

/** The object body of a resource declaration (plain, conditional or loop), or null. */
function resourceBody(decl) {
  return moduleBody(decl);
}

/** Resources of this type (case-insensitive, without the api version) in a parsed file. */
function resourcesOfType(root, type) {
  const out = [];
  walk(root, (n) => {
    if (n.type !== 'resource_declaration') return;
    const pair = stringValue(n.namedChildren.find((c) => c.type === 'string')) ?? '';
    if (pair.split('@')[0].toLowerCase() === type.toLowerCase()) out.push(n);
  });
  return out;
}

/** The function name when a property's value is a call such as subscription(...), else null. */
function calledFunction(prop) {
  const value = prop?.namedChildren.at(-1);
  return value?.type === 'call_expression' ? value.childForFieldName('function')?.text ?? null : null;
}

function checkRoleScopes(infra, parsed) {
  let metricsRoleAtGroupScope = false;
  for (const [file, tree] of parsed) {
    const rel = path.relative(infra, file);
    const root = tree.rootNode;
    const scope = targetScope(root);
    const text = fs.readFileSync(file, 'utf8');
    for (const decl of resourcesOfType(root, 'Microsoft.Authorization/roleAssignments')) {
      if (scope !== 'resourceGroup') {
        problem(rel, decl, `role assignment in a ${scope}-scoped template: the responder's roles are resource-group scoped (least privilege; the metrics are read per resource through ARM, see docs/deploy.md)`);
      }
      const explicit = calledFunction(objectProperty(resourceBody(decl), 'scope'));
      if (explicit && WIDE_SCOPES.has(explicit)) problem(rel, decl, `role assignment with scope: ${explicit}(): wider than a resource group`);
    }
    for (const decl of root.namedChildren.filter((n) => n.type === 'module_declaration')) {
      const explicit = calledFunction(objectProperty(moduleBody(decl), 'scope'));
      if (explicit && WIDE_SCOPES.has(explicit)) problem(rel, decl, `module deployed with scope: ${explicit}(): the templates stay resource-group scoped`);
    }
    if (scope === 'resourceGroup' && resourcesOfType(root, 'Microsoft.Authorization/roleAssignments').length
        && (text.includes(`'${ROLE_READER}'`) || text.includes(`'${ROLE_MONITORING_READER}'`))) {
      metricsRoleAtGroupScope = true;
    }
  }
  if (!metricsRoleAtGroupScope) {
    problems.push('role scope: no template assigns Reader or Monitoring Reader at resource-group scope; the per-resource metrics API needs one of them on each watched resource group');
  }
}

/** Checks the alert rules; returns how many metric and log alert rules were declared. */
/** The dimensions every log search alert declares, so that an alert of a workspace-scoped rule names the app. */
const LOG_ALERT_DIMENSIONS = ['_ResourceId', 'ContainerAppName', 'EnvironmentName'];

function checkAlertRules(infra, parsed) {
  let count = 0;
  let restartTrigger = false;
  for (const [file, tree] of parsed) {
    const rel = path.relative(infra, file);
    const root = tree.rootNode;
    const vars = new Map();
    for (const v of root.namedChildren.filter((n) => n.type === 'variable_declaration')) {
      vars.set(v.namedChildren.find((c) => c.type === 'identifier')?.text, v.namedChildren.at(-1)?.text ?? '');
    }
    for (const decl of resourcesOfType(root, 'Microsoft.Insights/metricAlerts')) {
      count++;
      walk(decl, (n) => {
        if (n.type !== 'object') return;
        const nameProp = objectProperty(n, 'metricName');
        if (!nameProp) return;
        const metric = stringValue(nameProp.namedChildren.at(-1));
        if (metric === null) {
          problem(rel, nameProp, 'metricName is not a literal: the rule cannot be checked');
          return;
        }
        if (COUNTER_METRICS.has(metric)) {
          problem(rel, nameProp, `metric alert on ${metric}, ${COUNTER_METRICS.get(metric)}: it fires after one restart and stays fired; use the log search alert on terminations (queries/restarts.kql)`);
        }
        const namespace = stringValue(objectProperty(n, 'metricNamespace')?.namedChildren.at(-1)) ?? '';
        if (namespace.toLowerCase() !== 'microsoft.app/containerapps') return;
        const supported = METRIC_DIMENSIONS.get(metric);
        if (!supported) {
          problem(rel, nameProp, `metric ${metric} is not a Microsoft.App/containerApps metric (Learn's supported-metrics table)`);
          return;
        }
        const dims = objectProperty(n, 'dimensions')?.namedChildren.at(-1);
        for (const dim of dims?.namedChildren.filter((c) => c.type === 'object') ?? []) {
          const dimName = stringValue(objectProperty(dim, 'name')?.namedChildren.at(-1));
          if (dimName && !supported.some((d) => d.toLowerCase() === dimName.toLowerCase())) {
            problem(rel, dim, `metric ${metric} has no dimension '${dimName}' (supported: ${supported.join(', ') || 'none'}); Azure refuses the rule's query`);
          }
        }
      });
    }
    for (const decl of resourcesOfType(root, 'Microsoft.Insights/scheduledQueryRules')) {
      count++;
      walk(decl, (n) => {
        if (n.type !== 'object') return;
        const queryProp = objectProperty(n, 'query');
        if (!queryProp) return;
        const value = queryProp.namedChildren.at(-1);
        const source = value.type === 'identifier' ? vars.get(value.text) ?? '' : value.text;
        if (/loadTextContent\('[^']*queries\/restarts\.kql'\)/.test(source)) restartTrigger = true;
        // Scoped to a workspace, the alert's target stays the workspace: the app is named only by declared
        // dimensions (Learn alerts-common-schema), which the query must project.
        const declared = (objectProperty(n, 'dimensions')?.namedChildren.at(-1)?.namedChildren ?? [])
          .filter((c) => c.type === 'object').map((d) => stringValue(objectProperty(d, 'name')?.namedChildren.at(-1)));
        const queryFile = source.match(/loadTextContent\('([^']*)'\)/)?.[1];
        const queryText = queryFile ? fs.readFileSync(path.resolve(path.dirname(file), queryFile), 'utf8')
          .split('\n').filter((l) => !l.trim().startsWith('//')).join('\n') : source;
        for (const dim of LOG_ALERT_DIMENSIONS) {
          if (!declared.includes(dim)) {
            problem(rel, queryProp, `log search alert does not declare the dimension '${dim}': scoped to a workspace, the alert names the app only through declared dimensions (docs/deploy.md, "Log alert rules")`);
          } else if (!new RegExp(`\\b${dim}\\b`).test(queryText)) {
            problem(rel, queryProp, `log search alert declares '${dim}' but its query does not project it`);
          }
        }
      });
    }
  }
  if (!restartTrigger) {
    problems.push('alert rules: no log search alert loads queries/restarts.kql; the restart trigger must count terminations in the system logs (RestartCount is a running counter)');
  }
  return count;
}

/** The default of a declared param as a literal number, or null when it has none or it is an expression. */
function paramDefault(root, name) {
  const decl = root.namedChildren.find((n) => n.type === 'parameter_declaration'
    && n.namedChildren.find((c) => c.type === 'identifier')?.text === name);
  if (!decl) return undefined;
  const value = decl.namedChildren.at(-1);
  return value && /^-?\d+$/.test(value.text) && decl.children.some((c) => c.type === '=') ? Number(value.text) : null;
}

/**
 * Check 10: the action group waits 10 s for AlertWebhook, so the http group keeps an always-ready
 * instance. Follows instanceCount from the site through its module call into main.bicep.
 */
function checkAlwaysReady(infra, parsed) {
  const mainFile = path.join(infra, 'main.bicep');
  const mainRoot = parsed.get(mainFile)?.rootNode;
  let sites = 0;
  for (const [file, tree] of parsed) {
    const rel = path.relative(infra, file);
    walk(tree.rootNode, (n) => {
      if (n.type !== 'resource_declaration') return;
      const type = stringValue(n.namedChildren.find((c) => c.type === 'string')) ?? '';
      if (!/^Microsoft\.Web\/sites@/i.test(type)) return;
      const body = n.namedChildren.find((c) => c.type === 'object');
      const props = objectProperty(body, 'properties')?.namedChildren.at(-1);
      const config = objectProperty(props, 'functionAppConfig')?.namedChildren.at(-1);
      const scale = objectProperty(config, 'scaleAndConcurrency')?.namedChildren.at(-1);
      if (!scale) return;
      sites++;
      const list = objectProperty(scale, 'alwaysReady')?.namedChildren.at(-1);
      const http = list?.type === 'array'
        ? list.namedChildren.find((o) => o.type === 'object' && stringValue(objectProperty(o, 'name')?.namedChildren.at(-1)) === 'http')
        : null;
      if (!http) {
        problem(rel, scale, "Flex Consumption site has no scaleAndConcurrency.alwaysReady entry named 'http' (a cold start can miss the action group's 10-second window)");
        return;
      }
      const count = objectProperty(http, 'instanceCount')?.namedChildren.at(-1);
      if (!count) {
        problem(rel, http, "alwaysReady 'http' has no instanceCount");
        return;
      }
      let value = /^\d+$/.test(count.text) ? Number(count.text) : null;
      let where = `${rel}: instanceCount ${count.text}`;
      let maxDefault = paramDefault(tree.rootNode, 'maximumInstanceCount');
      if (value === null && count.type === 'identifier') {
        value = paramDefault(tree.rootNode, count.text);
        if (value === undefined) {
          problem(rel, count, `alwaysReady 'http' instanceCount '${count.text}' is not a literal or a param`);
          return;
        }
        // A module param: main.bicep may pass its own param instead, whose default then counts.
        if (mainRoot && file !== mainFile) {
          for (const decl of mainRoot.namedChildren.filter((d) => d.type === 'module_declaration')) {
            const target = path.resolve(path.dirname(mainFile), stringValue(decl.namedChildren.find((c) => c.type === 'string')) ?? '');
            if (target !== file) continue;
            const passed = objectProperty(objectProperty(moduleBody(decl), 'params')?.namedChildren.at(-1), count.text)?.namedChildren.at(-1);
            if (!passed) continue;
            const mainValue = /^\d+$/.test(passed.text) ? Number(passed.text) : passed.type === 'identifier' ? paramDefault(mainRoot, passed.text) : null;
            value = mainValue ?? null;
            where = `main.bicep: ${passed.text} (passed to ${rel} as ${count.text})`;
            maxDefault = paramDefault(mainRoot, 'maximumInstanceCount') ?? maxDefault;
            if (passed.type === 'identifier') {
              for (const extra of fs.readdirSync(infra).filter((f) => /^main\.parameters(\..+)?\.json$/.test(f))) {
                try {
                  const given = JSON.parse(fs.readFileSync(path.join(infra, extra), 'utf8')).parameters?.[passed.text]?.value;
                  if (typeof given === 'number' && given < 1) problems.push(`${extra}: ${passed.text} is ${given}; the http group needs an always-ready instance`);
                } catch (e) {
                  // check 5 reports unreadable parameter files
                }
              }
            }
          }
        }
      }
      if (value === null || value === undefined) problem(rel, count, `alwaysReady 'http' instanceCount: cannot work out its default from ${where}`);
      else if (value < 1) problems.push(`${where} defaults to ${value}; the http group needs at least 1 always-ready instance`);
      else if (maxDefault != null && value > maxDefault) problems.push(`${where} defaults to ${value}, more than maximumInstanceCount (${maxDefault})`);
    });
  }
  if (sites === 0) problems.push("no Flex Consumption site (Microsoft.Web/sites with functionAppConfig.scaleAndConcurrency) found: cannot check the http group's always-ready instance");
}

// Built-in roles that carry Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action
// (Learn: Get User Delegation Key, Permissions) and that may write blobs.
const DELEGATION_ROLES = new Set(['db58b8e5-c6ad-4a2a-8342-4190687cbf4a', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe', 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b']);
const BLOB_WRITE_ROLES = new Set(['ba92f5b4-2d11-453d-a403-e96b0029c9fe', 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b']);

/**
 * Chart links (the code reads CHART_CONTAINER): the templates must create a private blob container
 * and set CHART_CONTAINER, grant a blob-write role scoped to that container or the account, and a
 * role with generateUserDelegationKey scoped to the storage account (a container-scoped role cannot
 * request a delegation key).
 */
function checkChartLinks(parsed, infra, codeNames, roleGuids) {
  if (!codeNames.has('CHART_CONTAINER')) return;
  let container = null;
  let setting = false;
  const assignments = [];
  for (const [file, tree] of parsed) {
    const rel = path.relative(infra, file);
    const text = fs.readFileSync(file, 'utf8');
    if (/CHART_CONTAINER\s*:/.test(text)) setting = true;
    walk(tree.rootNode, (n) => {
      if (n.type !== 'resource_declaration') return;
      const type = stringValue(n.namedChildren.find((c) => c.type === 'string')) ?? '';
      const body = n.text;
      if (type.startsWith('Microsoft.Storage/storageAccounts/blobServices/containers@') && /chart/i.test(body)) {
        container = { rel, privateAccess: /publicAccess:\s*'None'/.test(body) };
      }
      if (type.startsWith('Microsoft.Authorization/roleAssignments@')) {
        const scope = /\bscope:\s*(\w+)/.exec(body)?.[1];
        const roleVar = /roleDefinitions',\s*(\w+)\)/.exec(body)?.[1];
        const roleId = roleVar ? new RegExp(`var\\s+${roleVar}\\s*=\\s*'([0-9a-f-]{36})'`).exec(text)?.[1] : null;
        assignments.push({ rel, scope, roleId });
      }
    });
  }
  if (!container) problems.push('chart links: the code reads CHART_CONTAINER but no template creates a charts blob container');
  else if (!container.privateAccess) problems.push(`${container.rel}: the charts container must have publicAccess 'None' (links are user-delegation SAS)`);
  if (!setting) problems.push('chart links: no template sets the CHART_CONTAINER app setting');
  if (!assignments.some((a) => a.roleId && BLOB_WRITE_ROLES.has(a.roleId) && /chart|account/i.test(a.scope ?? ''))) {
    problems.push('chart links: no blob-write role (Storage Blob Data Contributor/Owner) is assigned on the charts container or the account');
  }
  if (!assignments.some((a) => a.roleId && DELEGATION_ROLES.has(a.roleId) && /^account$/i.test(a.scope ?? ''))) {
    problems.push('chart links: no role with generateUserDelegationKey (e.g. Storage Blob Delegator) is assigned at the storage account scope');
  }
  notes.push(`chart links: container ${container ? 'private' : 'missing'}, ${assignments.filter((a) => DELEGATION_ROLES.has(a.roleId)).length} delegation-capable assignment(s)`);
}

function jsonType(v) {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'number';
  if (typeof v === 'boolean') return 'bool';
  return typeof v; // string | object
}

function checkParametersFile(paramsFile, mainRoot, infra) {
  const rel = path.relative(infra, paramsFile);
  let doc;
  try {
    doc = JSON.parse(fs.readFileSync(paramsFile, 'utf8'));
  } catch (e) {
    problems.push(`${rel}: not valid JSON: ${e.message}`);
    return;
  }
  if (!/deploymentParameters\.json#?$/.test(doc.$schema ?? '')) problems.push(`${rel}: $schema must be the ARM deploymentParameters schema`);
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(doc.contentVersion ?? '')) problems.push(`${rel}: contentVersion must look like 1.0.0.0`);
  const given = doc.parameters ?? {};
  const declared = declaredParams(mainRoot);
  const types = declaredTypes(mainRoot);
  for (const [name, entry] of Object.entries(given)) {
    const p = declared.get(name);
    if (!p) {
      problems.push(`${rel}: parameter '${name}' is not declared in main.bicep`);
      continue;
    }
    if (!entry || typeof entry !== 'object' || !('value' in entry || 'reference' in entry)) {
      problems.push(`${rel}: parameter '${name}' needs a "value" (or a Key Vault "reference")`);
      continue;
    }
    if (!('value' in entry)) continue;
    checkValue(rel, name, entry.value, p.type, types);
  }
  for (const [name, p] of declared) {
    if (p.required && !(name in given)) problems.push(`${rel}: required parameter '${name}' (no default in main.bicep) is not provided`);
  }
}

function checkValue(rel, name, value, typeNode, types) {
  let t = typeNode?.namedChildren[0];
  if (t?.type === 'nullable_type') {
    if (value === null) return;
    t = t.namedChildren[0];
  }
  const isPlaceholder = typeof value === 'string' && /^\$\{[A-Za-z_][A-Za-z0-9_]*(=[^}]*)?\}$/.test(value);
  if (t?.type === 'primitive_type') {
    const want = t.text;
    const got = jsonType(value);
    if (isPlaceholder && want === 'string') return;
    if (isPlaceholder) problems.push(`${rel}: parameter '${name}' is ${want} but gets the azd placeholder ${value}, which is a string`);
    else if (want !== got && !(want === 'object' && got === 'object')) problems.push(`${rel}: parameter '${name}' is ${want} but the value is ${got}`);
    return;
  }
  if (t?.type === 'array_type') {
    if (!Array.isArray(value)) {
      problems.push(`${rel}: parameter '${name}' is an array type but the value is ${jsonType(value)}`);
      return;
    }
    const element = t.namedChildren.find((c) => c.type === 'type')?.namedChildren[0];
    const fields = element?.type === 'identifier' ? types.get(element.text) : null;
    if (!fields) return;
    value.forEach((item, i) => {
      if (jsonType(item) !== 'object') {
        problems.push(`${rel}: ${name}[${i}] must be an object of type ${element.text}`);
        return;
      }
      for (const key of Object.keys(item)) {
        if (!fields.has(key)) problems.push(`${rel}: ${name}[${i}] has '${key}', which type ${element.text} does not declare`);
      }
      for (const [key, f] of fields) {
        if (f.required && !(key in item)) problems.push(`${rel}: ${name}[${i}] lacks required '${key}' of type ${element.text}`);
        else if (key in item && f.type.type === 'primitive_type' || (key in item && f.type.type === 'nullable_type' && item[key] !== null)) {
          const want = (f.type.type === 'nullable_type' ? f.type.namedChildren[0] : f.type).text;
          if (['string', 'int', 'bool'].includes(want) && jsonType(item[key]) !== want) {
            problems.push(`${rel}: ${name}[${i}].${key} is ${want} but the value is ${jsonType(item[key])}`);
          }
        }
      }
    });
  }
}

let exitCode = 0;
try {
  const { dirs, code } = parseArgs(process.argv.slice(2));
  const codeNames = codeStringLiterals(code);
  for (const dir of dirs) {
    problems = [];
    notes = [];
    if (dirs.length > 1) console.log(`== infra ${dir}`);
    validateDir(dir, codeNames);
    for (const n of notes) console.log(n);
    if (problems.length) {
      for (const p of problems) console.log(`INVALID ${p}`);
      console.log(`infra: ${problems.length} problem(s)`);
      exitCode = 1;
    } else {
      console.log('infra: valid');
    }
  }
} catch (e) {
  console.error(`validate.mjs: ${e.message}`);
  process.exit(2);
}
process.exit(exitCode);
