/**
 * Rules for deploy/docker/*.Dockerfile, read with dockerfile-ast (the parser of the Docker language
 * server): pinned bases, a non-root final user, no secrets, and the service's ports.
 */
import { DockerfileParser, type Dockerfile, type Instruction } from 'dockerfile-ast';

const SECRET_WORDS = /TOKEN|PASSWORD|PASSWD|SECRET|API_?KEY|PRIVATE_?KEY|CREDENTIAL/i;

export function parseDockerfile(text: string): Dockerfile {
  return DockerfileParser.parse(text);
}

/** The instructions after the last FROM: what the shipped image is made of. */
export function finalStage(dockerfile: Dockerfile): Instruction[] {
  const instructions = dockerfile.getInstructions();
  const lastFrom = instructions.map((i) => i.getKeyword()).lastIndexOf('FROM');
  return instructions.slice(lastFrom + 1);
}

/** Every FROM names an earlier stage, or an image pinned by a tag other than latest (or a digest). */
export function baseImageProblems(dockerfile: Dockerfile): string[] {
  const problems: string[] = [];
  const stages = new Set<string>();
  for (const from of dockerfile.getFROMs()) {
    const image = from.getImageName() ?? '';
    const line = from.getRange().start.line + 1;
    const tag = from.getImageTag();
    if (stages.has(image)) {
      // an earlier stage of this file
    } else if (image.includes('$')) {
      problems.push(`line ${line}: base image ${image} is a variable; pin it in the file`);
    } else if (from.getImageDigest()) {
      // pinned by digest
    } else if (!tag) {
      problems.push(`line ${line}: base image ${image} has no tag (it would pull latest)`);
    } else if (tag === 'latest') {
      problems.push(`line ${line}: base image ${image}:latest is not pinned`);
    }
    const stage = from.getBuildStage();
    if (stage) stages.add(stage);
  }
  if (stages.size === 0 && dockerfile.getFROMs().length === 0) problems.push('no FROM instruction');
  return problems;
}

/** The final stage switches to a user other than root (by name or uid 0). */
export function userProblems(dockerfile: Dockerfile): string[] {
  const users = finalStage(dockerfile).filter((i) => i.getKeyword() === 'USER');
  if (users.length === 0) return ['the final stage sets no USER, so the image runs as root'];
  const user = (users[users.length - 1].getArgumentsContent() ?? '').split(':')[0].trim();
  return user === 'root' || user === '0' ? [`the final stage runs as ${user}`] : [];
}

/** No ENV or ARG of any stage carries a token, password or other secret (images keep them in their history). */
export function secretProblems(dockerfile: Dockerfile): string[] {
  const problems: string[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword();
    if (keyword !== 'ENV' && keyword !== 'ARG') continue;
    const line = instruction.getRange().start.line + 1;
    const names = keyword === 'ENV'
      ? dockerfile.getENVs().filter((env) => env.getRange().start.line === instruction.getRange().start.line)
        .flatMap((env) => env.getProperties().map((p) => p.getName()))
      : [(instruction.getArgumentsContent() ?? '').split('=')[0].trim()];
    for (const name of names) {
      if (SECRET_WORDS.test(name)) problems.push(`line ${line}: ${keyword} ${name} would bake a secret into the image`);
    }
  }
  return problems;
}

/** Port numbers the final stage EXPOSEs. */
export function exposedPorts(dockerfile: Dockerfile): number[] {
  return finalStage(dockerfile)
    .filter((i) => i.getKeyword() === 'EXPOSE')
    .flatMap((i) => i.getArguments().map((a) => Number.parseInt(a.getValue(), 10)))
    .sort((a, b) => a - b);
}

/** The final stage's instruction with this keyword, or undefined. */
export function finalInstruction(dockerfile: Dockerfile, keyword: string): Instruction | undefined {
  return finalStage(dockerfile).filter((i) => i.getKeyword() === keyword).at(-1);
}

/** The variables the final stage's ENV instructions set, as a process in the image sees them. */
export function imageEnv(dockerfile: Dockerfile): Record<string, string> {
  const finalLines = new Set(finalStage(dockerfile).map((i) => i.getRange().start.line));
  const env: Record<string, string> = {};
  for (const instruction of dockerfile.getENVs()) {
    if (!finalLines.has(instruction.getRange().start.line)) continue;
    for (const property of instruction.getProperties()) env[property.getName()] = property.getValue() ?? '';
  }
  return env;
}
