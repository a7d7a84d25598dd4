/**
 * The README's runnable shell blocks: a ```sh fence right after a `<!-- runs-in-test -->` line.
 * Inside one, a line `# => <text>` states what the command before it prints; `…` in that text
 * stands for any text. Every other line is shell, run as written.
 */
export interface ShellStep {
  /** Shell lines up to the stated output (several commands may share one statement). */
  readonly command: string;
  /** What the command prints, or undefined when the block's last lines state nothing. */
  readonly expected: string | undefined;
}

export interface ShellBlock {
  /** 1-based line of the opening fence, for failure messages. */
  readonly line: number;
  readonly steps: readonly ShellStep[];
}

export const RUNS_IN_TEST = '<!-- runs-in-test -->';
const STATED_OUTPUT = '# => ';

export function runnableBlocks(markdown: string): ShellBlock[] {
  const lines = markdown.split('\n');
  const blocks: ShellBlock[] = [];
  lines.forEach((line, index) => {
    if (line.trim() !== RUNS_IN_TEST) return;
    const open = index + 1;
    if (lines[open] !== '```sh') throw new Error(`README line ${open + 1}: ${RUNS_IN_TEST} must be followed by a \`\`\`sh fence`);
    const close = lines.indexOf('```', open + 1);
    if (close < 0) throw new Error(`README line ${open + 1}: the fence is never closed`);
    blocks.push({ line: open + 1, steps: stepsOf(lines.slice(open + 1, close)) });
  });
  return blocks;
}

function stepsOf(body: readonly string[]): ShellStep[] {
  const steps: ShellStep[] = [];
  let command: string[] = [];
  let expected: string[] = [];
  const close = () => {
    if (command.length > 0 || expected.length > 0) {
      steps.push({ command: command.join('\n'), expected: expected.length > 0 ? expected.join('\n') : undefined });
    }
    command = [];
    expected = [];
  };
  for (const line of body) {
    if (line.startsWith(STATED_OUTPUT)) {
      expected.push(line.slice(STATED_OUTPUT.length));
      continue;
    }
    if (expected.length > 0) close();
    command.push(line);
  }
  close();
  return steps;
}

/** Whether `output` is the stated text, `…` matching any run of characters. */
export function matchesStated(output: string, stated: string): boolean {
  const literal = (part: string) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${stated.split('…').map(literal).join('[\\s\\S]*')}$`).test(output);
}
