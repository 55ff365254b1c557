// `mailroom rule list|add|move|remove|test`: the access rules of DESIGN §5, as the GUI's rules screen
// edits them. Stages and actions are offered from the rule schema, so `--help` lists them and a typo
// is a usage error; what a stage may match is the admin service's to refuse (exit 1).
import { Option, type Command } from 'commander';
import { RULE_ACTIONS, RULE_STAGES, RuleAdminSchemas, RuleInputSchema, type RuleAction, type RuleStage } from '../../policy/rule-schema.js';
import { collect, integerArgument } from './arguments.js';
import { withSession, type CliEnv } from './session.js';

const ruleId = integerArgument(RuleAdminSchemas.removeRule.shape.id);
const position = integerArgument(RuleAdminSchemas.moveRule.shape.position);

interface RuleOptions {
  stage: RuleStage;
  action: RuleAction;
  ip?: string[];
  helo?: string[];
  sender?: string[];
  recipient?: string[];
  dnsbl?: string[];
  authenticated?: boolean;
  unauthenticated?: boolean;
  trusted?: boolean;
  untrusted?: boolean;
  code?: number;
  text?: string;
  description?: string;
  position?: number;
}

const yesNo = (yes: boolean | undefined, no: boolean | undefined) => (yes ? true : no ? false : undefined);

export function registerRule(program: Command, env: CliEnv) {
  const rule = program.command('rule').description('access rules: per SMTP stage, first match wins (see "Access rules" in the README)');

  rule
    .command('list')
    .description('list the rules in the order they are tried')
    .addOption(new Option('--stage <stage>', 'only this stage').choices(RULE_STAGES))
    .action((opts: { stage?: RuleStage }, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) =>
        out.table(
          (await api.listRules({ stage: opts.stage })).map((r) => ({ ...r, match: JSON.stringify(r.match), reply: r.replyCode ? `${r.replyCode} ${r.replyText ?? ''}` : '' })),
          ['id', 'stage', 'position', 'action', 'match', 'reply', 'enabled', 'description'],
        ),
      ),
    );

  rule
    .command('add')
    .description('add a rule; every condition given must hold, a list condition holds when any entry matches')
    .addOption(new Option('--stage <stage>', 'when the rule is tried').choices(RULE_STAGES).makeOptionMandatory())
    .addOption(new Option('--action <action>', 'what a match does').choices(RULE_ACTIONS).makeOptionMandatory())
    .option('--ip <cidr>', 'client address in this range (repeatable)', collect)
    .option('--helo <pattern>', 'HELO name, * as wildcard (repeatable)', collect)
    .option('--sender <pattern>', 'envelope sender: user@domain, domain, .domain, <> (repeatable)', collect)
    .option('--recipient <pattern>', 'recipient, same patterns (repeatable)', collect)
    .option('--dnsbl <zone>', 'client listed in this DNSBL zone (repeatable)', collect)
    .option('--authenticated', 'the session has authenticated')
    .addOption(new Option('--unauthenticated', 'the session has not authenticated').conflicts('authenticated'))
    .option('--trusted', 'the client is in a trusted network')
    .addOption(new Option('--untrusted', 'the client is not in a trusted network').conflicts('trusted'))
    .option('--code <code>', 'reply code of a reject (5xx) or defer (4xx)', integerArgument(RuleInputSchema.shape.replyCode.unwrap().unwrap()))
    .option('--text <text>', 'reply text')
    .option('--description <text>', 'why the rule exists')
    .option('--position <n>', 'place in its stage (0 = first; default last)', position)
    .action((opts: RuleOptions, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => {
        const match = Object.fromEntries(
          Object.entries({ ip: opts.ip, helo: opts.helo, sender: opts.sender, recipient: opts.recipient, dnsbl: opts.dnsbl, authenticated: yesNo(opts.authenticated, opts.unauthenticated), trusted: yesNo(opts.trusted, opts.untrusted) }).filter(
            ([, v]) => v !== undefined,
          ),
        );
        const added = await api.addRule({
          rule: { stage: opts.stage, action: opts.action, match, replyCode: opts.code ?? null, replyText: opts.text ?? null, description: opts.description ?? '' },
          position: opts.position,
        });
        out.item(added, `added rule ${added.id}`);
      }),
    );

  rule
    .command('move')
    .description('move a rule to another place in its stage')
    .argument('<id>', 'the rule id (see rule list)', ruleId)
    .argument('<position>', 'the new place (0 = first)', position)
    .action((id: number, to: number, _opts: object, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => out.item(await api.moveRule({ id, position: to }), `moved rule ${id}`)),
    );

  rule
    .command('remove')
    .description('remove a rule')
    .argument('<id>', 'the rule id (see rule list)', ruleId)
    .action((id: number, _opts: object, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => {
        await api.removeRule({ id });
        out.done(`removed rule ${id}`);
      }),
    );

  rule
    .command('test')
    .description('run a hypothetical connection through the rules: which rule decides at each stage, and why')
    .requiredOption('--ip <address>', 'the client address')
    .option('--helo <name>', 'the HELO name it gives')
    .option('--from <address>', 'the envelope sender')
    .option('--to <address>', 'a recipient (repeatable)', collect)
    .option('--authenticated', 'as if the client had logged in')
    .option('--dnsbl-listed <zone>', 'as if the client were listed in this zone (repeatable)', collect)
    .action((opts: { ip: string; helo?: string; from?: string; to?: string[]; authenticated?: boolean; dnsblListed?: string[] }, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => {
        const explanation = await api.testRules({
          ip: opts.ip,
          helo: opts.helo,
          from: opts.from,
          to: opts.to ?? [],
          authenticated: opts.authenticated === true,
          dnsblListed: opts.dnsblListed ?? [],
        });
        out.item(explanation, explanation.lines.join('\n'));
      }),
    );
}
