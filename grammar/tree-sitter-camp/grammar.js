/**
 * @file Tree-sitter grammar for Camp, for editor highlighting (Neovim,
 * Helix, Zed).
 *
 * `grammar/camp.pest` is the one definition of the language; this grammar
 * follows it rule for rule, under the same names (`campaign_decl`,
 * `reward_field`, `atom`, …), so that a change to camp.pest has an obvious
 * place here. Rules that pest keeps silent or that only group alternatives
 * (`value`, `term`, `reward_form`, `param_type`) are hidden (`_name`).
 *
 * Keywords are contextual, as in camp.pest: where pest's `ident` fits, a
 * keyword is a name (`_keyword_as_name`, `_keyword_as_key`).
 *
 * The invariant, checked by `bindings/rust/tests/`: every `.camp` file of the
 * repository that camp.pest accepts parses here without an ERROR or MISSING
 * node. This grammar may be looser than camp.pest (a highlighter should not
 * give up on an unusual spacing); it must never be stricter.
 *
 * To add a form (a v2 field such as `days:`, a declaration such as `pool`):
 * once it is in camp.pest, add the rule here under the same name, list it in
 * `_entry` or `_declaration`, run `tree-sitter generate` and
 * `tree-sitter test`, and give its keywords a capture in
 * `queries/highlights.scm` (see README.md).
 */

/// <reference types="tree-sitter-cli/dsl" />
// @ts-check

/** `x, y, z` with an optional trailing comma, possibly empty. */
function commaSeparated(rule) {
  return optional(seq(rule, repeat(seq(',', rule)), optional(',')));
}

/** Decimal digits grouped by single underscores: `10_000`. */
const DIGITS = /[0-9](_?[0-9])*/;

module.exports = grammar({
  name: 'camp',

  // Keywords are recognised only where camp.pest expects them; elsewhere
  // the same word is a name (`fund: government_subsidy` inside a body).
  word: ($) => $.identifier,

  // camp.pest: WHITESPACE is every character from tab to space; a
  // byte-order mark is skipped by the compiler before parsing.
  extras: ($) => [/[\x09-\x20\uFEFF]/, $.comment],

  conflicts: ($) => [
    // A field's value is a run of terms; whether the next name continues
    // it or starts the next field is only known at the `:` after it (pest
    // looks ahead for `ident ~ ":"`).
    [$.clause],
    // (v2) A `,` after a field's value continues the value (a reward's
    // options, a list of amounts) or separates it from the next field on
    // the same line; pest tries the value first.
    [$.reward_field],
    [$._value],
    [$.approvals_field],
  ],

  rules: {
    source_file: ($) => repeat($._item),

    // camp.pest: item = { doc* ~ (scene_decl | …) }
    _item: ($) => seq(repeat($.doc_comment), $._declaration),

    _declaration: ($) =>
      choice(
        $.scene_decl,
        $.category_decl,
        $.region_decl,
        $.segment_decl,
        $.fund_decl,
        $.policy_decl,
        $.template_decl,
        $.campaign_decl,
        $.test_decl,
        $.merchant_group_decl,
        $.instrument_decl,
        $.pool_decl,
      ),

    // ------------------------------------------------------------ schema

    scene_decl: ($) => seq('scene', field('name', $.identifier), optional($.body)),
    category_decl: ($) => seq('category', field('name', $.identifier), optional($.body)),
    region_decl: ($) => seq('region', field('name', $.identifier), optional($.body)),
    segment_decl: ($) => seq('segment', field('name', $.identifier), optional($.body)),
    fund_decl: ($) => seq('fund', field('name', $.identifier), $.body),
    policy_decl: ($) => seq('policy', $.body),
    // (v2) camp.pest: merchant_group_decl, instrument_decl
    merchant_group_decl: ($) =>
      seq('merchant_group', field('name', $.identifier), optional($.body)),
    instrument_decl: ($) => seq('instrument', field('name', $.identifier), optional($.body)),
    pool_decl: ($) => seq('pool', field('name', $.identifier), $.body),

    // ------------------------------------------------------------ campaigns and templates

    campaign_decl: ($) =>
      seq('campaign', field('name', $.identifier), optional($.from_clause), $.body),
    from_clause: ($) => seq('from', field('template', $.identifier), $.arguments),
    arguments: ($) => seq('(', commaSeparated($.argument), ')'),
    argument: ($) =>
      seq(field('name', $.identifier), ':', field('value', choice($.list, $.atom))),

    template_decl: ($) =>
      seq('template', field('name', $.identifier), $.parameters, $.body),
    parameters: ($) => seq('(', commaSeparated($.parameter), ')'),
    parameter: ($) =>
      seq(
        field('name', $.identifier),
        ':',
        field('type', $._param_type),
        optional(seq('in', field('low', $.atom), '..', field('high', $.atom))),
      ),
    _param_type: ($) => choice($.list_type, $._type_name),
    list_type: ($) => seq('[', $._type_name, ']'),
    // camp.pest: type_name, the same characters as an upper_word.
    _type_name: ($) => alias($.upper_word, $.type_name),

    // Entries on one line may be separated by commas (v2).
    body: ($) => seq('{', repeat(seq($._entry, optional(','))), '}'),
    _entry: ($) =>
      seq(
        repeat($.doc_comment),
        choice(
          $.generic_field,
          $.limit_field,
          $.reward_field,
          $.window_field,
          $.rollout_block,
          $.guard_field,
          $.stacking_field,
          $.throughput_field,
          $.approvals_field,
          $.hours_field,
          $.claim_block,
        ),
      ),

    // `reward: 15% off, cap CNY 2_000.00, min_spend CNY 100.00`
    reward_field: ($) =>
      seq('reward', ':', $._reward_form, repeat(seq(',', $._reward_option))),
    _reward_form: ($) =>
      choice($.tiers_reward, $.random_reward, $.every_reward, $.price_reward, $.amount_off),
    amount_off: ($) => seq(field('amount', $.atom), $._reward_verb),
    random_reward: ($) =>
      seq('random', field('low', $.atom), 'to', field('high', $.atom), $._reward_verb),
    tiers_reward: ($) => seq('tiers', '{', repeat(seq($.tier, optional(choice(';', ',')))), '}'),
    tier: ($) =>
      seq('spend', field('threshold', $.atom), '=>', field('reward', $.atom), $._reward_verb),
    // `every CNY 300.00 => CNY 50.00 off` (每满减), `price CNY 9.90`
    every_reward: ($) =>
      seq('every', field('step', $.atom), '=>', field('reward', $.atom), $._reward_verb),
    price_reward: ($) => seq('price', field('price', $.atom)),
    // `off`: an instant discount; `back`: credited after the payment.
    _reward_verb: ($) => choice('off', 'back'),
    _reward_option: ($) => choice($.cap_option, $.min_spend_option, $.max_spend_option),
    cap_option: ($) => seq('cap', field('amount', $.atom)),
    min_spend_option: ($) => seq('min_spend', field('amount', $.atom)),
    max_spend_option: ($) => seq('max_spend', field('amount', $.atom)),

    // `limit: 1 per user`, `limit: CNY 1_000.00 per user per day`,
    // `limit: 1 per user per category`, `limit: 100_000 total`
    limit_field: ($) =>
      seq(
        'limit',
        ':',
        field('amount', $.atom),
        choice('total', repeat1(seq('per', field('per', $.identifier)))),
      ),

    // `hours: 10:00 to 12:00`
    hours_field: ($) =>
      seq('hours', ':', field('start', $.clock), 'to', field('end', $.clock)),
    clock: ($) => /[0-9]{1,2}:[0-9]{2}/,

    // `window: 2025-01-20 00:00 to 2025-03-31 23:59 Asia/Shanghai`
    window_field: ($) =>
      seq(
        'window',
        ':',
        field('start', $.instant),
        'to',
        field('end', $.instant),
        field('zone', $.zone),
      ),

    // `guard: halt when spend > CNY 100_000.00 per 1min`
    guard_field: ($) =>
      seq(
        'guard',
        ':',
        'halt',
        'when',
        field('metric', $.identifier),
        '>',
        field('threshold', $.atom),
        'per',
        field('period', $.atom),
      ),

    // `stacking: exclusive` or `stacking: stacks_with [a, b]`
    stacking_field: ($) =>
      seq('stacking', ':', choice('exclusive', seq('stacks_with', $.list))),

    // `expected_peak: 2_000 per 1s`, `capacity: 20_000 per 1s`
    throughput_field: ($) =>
      seq($.throughput_key, ':', field('count', $.atom), 'per', field('period', $.atom)),
    throughput_key: ($) => choice('expected_peak', 'capacity'),

    // `approvals: 1 up_to CNY 100_000.00, HKD 110_000.00` or `approvals: 3`
    approvals_field: ($) =>
      seq(
        'approvals',
        ':',
        field('count', $.atom),
        optional(seq('up_to', field('bound', $.atom), repeat(seq(',', field('bound', $.atom))))),
      ),

    // `rollout { stage segment qa_accounts for 30min  stage 1% for 2h  stage 100% }`
    rollout_block: ($) => seq('rollout', '{', repeat($.stage), '}'),
    stage: ($) =>
      seq(
        'stage',
        field('audience', choice($.stage_segment, $.atom)),
        optional(seq('for', field('duration', $.atom))),
      ),
    stage_segment: ($) => seq('segment', $.identifier),

    // (v2) `claim { window: … inventory: 10_000 per_user: 1 valid_for: 7d }`
    claim_block: ($) => seq('claim', $.body),

    // Every other field: `title: "…"`, `scenes: [a, b]`,
    // `max_per_use: CNY 1.00, HKD 1.10`. The special keys above have their
    // own rules; `rollout:` (no `{`) is an ordinary field, as in camp.pest.
    generic_field: ($) =>
      seq(
        field('key', choice($.identifier, alias($._keyword_as_key, $.identifier))),
        ':',
        $._value,
      ),
    // Keywords that may be lexed as such where a field starts (see
    // `_keyword_as_name`) and are not special keys.
    _keyword_as_key: ($) => choice('rollout', 'random', 'tiers', 'no', 'claim'),
    _value: ($) => seq($.clause, repeat(seq(',', $.clause))),
    clause: ($) => repeat1($._term),
    _term: ($) => choice($.list, $.atom),

    // ------------------------------------------------------------ tests

    test_decl: ($) =>
      seq(
        'test',
        field('name', choice($.identifier, $.string)),
        '{',
        repeat(choice($.pay, $.claim_line)),
        '}',
      ),
    pay: ($) =>
      seq(
        'pay',
        field('amount', $.atom),
        'at',
        field('scene', $.identifier),
        repeat(seq(',', $.pay_attribute)),
        '=>',
        $.outcome,
      ),
    pay_attribute: ($) =>
      choice(
        seq(
          choice('category', 'region', 'segment', 'group', 'merchant', 'user', 'device', 'id'),
          $.identifier,
        ),
        seq('card', $.identifier, optional($.string)),
        seq('ip', $.string),
        seq('time', $.instant, optional($.zone)),
      ),
    outcome: ($) => choice($.refused_replay, $.no_discount, $.discount),
    discount: ($) => seq($.atom, choice('off', 'back'), optional($.paid_by)),
    no_discount: ($) =>
      seq('no', 'discount', optional(seq(':', field('reason', $.identifier), optional($.paid_by)))),
    paid_by: ($) => seq('from', $.list),
    refused_replay: ($) => seq('refused', ':', 'conflicting', 'replay'),
    claim_line: ($) =>
      seq(
        'claim',
        field('campaign', $.identifier),
        repeat(seq(',', $.pay_attribute)),
        '=>',
        $.claim_outcome,
      ),
    claim_outcome: ($) => choice('claimed', seq('refused', ':', field('reason', $.identifier))),

    // ------------------------------------------------------------ atoms

    list: ($) => seq('[', commaSeparated($.atom), ']'),

    atom: ($) =>
      choice(
        $.identifier,
        $.string,
        $.money,
        $.instant,
        $.rate,
        $.duration,
        $.number,
        $.upper_word,
        // `CNY` alone (`currencies: [CNY, HKD]`) is an upper_word in pest.
        alias($.currency, $.upper_word),
        // A keyword where pest's `ident` also fits is a name: a template
        // parameter `random` in `reward: random off`, `note: window`.
        alias($._keyword_as_name, $.identifier),
        $._run_on_number,
      ),

    // The keywords that can stand where an atom can (the others are
    // expected only after a keyword, never next to an atom).
    _keyword_as_name: ($) =>
      choice(
        'random',
        'tiers',
        'every',
        'price',
        'reward',
        'limit',
        'window',
        'guard',
        'stacking',
        'expected_peak',
        'capacity',
        'approvals',
        'rollout',
        'no',
      ),

    // `CNY 2_000.00`. A currency followed by a number is money, as in
    // camp.pest, which tries `money` before `upper_word`.
    money: ($) => prec(1, seq(field('currency', $.currency), field('amount', $.number))),
    // Capitals only; `ALL_CAPS` and `Asia` are longer upper_words.
    currency: ($) => /[A-Z]+/,
    rate: ($) => seq($.number, token.immediate('%')),
    duration: ($) => token(seq(DIGITS, choice('min', 's', 'h', 'd'))),
    number: ($) => token(seq(DIGITS, optional(seq('.', DIGITS)))),
    // camp.pest's `number` and `duration` end in `!(ASCII_ALPHA | "_")`, so
    // it refuses a number run into letters: `3e6`, `0x10`, `5mins`. With no
    // lookahead, this grammar would read `3e6` as the number `3` then the
    // name `e6`; instead the whole word is one token, longer than a number
    // (`duration`, defined first, wins a tie: `30min`), that only a NUL can
    // follow, and campc refuses a NUL (E0108). So it is always an error, as
    // in pest.
    _run_on_number: ($) =>
      seq(token(seq(DIGITS, optional(seq('.', DIGITS)), /[A-Za-z_][A-Za-z0-9_]*/)), '\u0000'),

    instant: ($) => seq($.date, $.time),
    date: ($) => /[0-9]{4}-[0-9]{2}-[0-9]{2}/,
    time: ($) => /[0-9]{2}:[0-9]{2}(:[0-9]{2})?/,
    // camp.pest takes a zone name in any case (the checker suggests the
    // database's spelling for `asia/shanghai`). Its lookahead, that a word
    // followed by `:` or `{` is not a zone, only shapes the message for a
    // window with no zone: both grammars refuse `window: … to …` then
    // `reward:` (here `reward` is taken as the zone and `:` is the error).
    zone: ($) => token(choice(/[+-][0-9]{2}:[0-9]{2}/, /[A-Za-z][A-Za-z0-9_\/+-]*/)),

    // camp.pest: `"` then any character but `"`, `\` and a line end (`\n`
    // or `\r`, camp.pest's `line_end`), or `\` and any character but a line
    // end (the checker refuses unknown escapes), then `"`.
    string: ($) =>
      seq('"', repeat(choice($.string_content, $.escape_sequence)), token.immediate('"')),
    string_content: ($) => token.immediate(prec(1, /[^"\\\n\r]+/)),
    escape_sequence: ($) =>
      token.immediate(seq('\\', choice(/u\{[0-9A-Fa-f]{1,6}\}/, /[^\n\r]/))),

    upper_word: ($) => /[A-Z][A-Za-z0-9_]*/,

    // A lowercase name. As in camp.pest, reserved words are not refused
    // here: the compiler refuses them where a name is declared.
    identifier: ($) => /[a-z_][a-z0-9_]*/,

    // `///` attaches to the next item or field; `////` is a plain comment.
    // Both end at `\n` or a lone `\r` (camp.pest's `line_end`).
    doc_comment: ($) => token(seq('///', optional(seq(/[^\/\n\r]/, /[^\n\r]*/)))),
    comment: ($) =>
      token(seq('//', optional(choice(seq(/[^\/\n\r]/, /[^\n\r]*/), seq('//', /[^\n\r]*/))))),
  },
});
