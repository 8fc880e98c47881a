export declare const SECRET_NAMES: string[];
export declare function parseEnvFile(text: string): Record<string, string>;
export declare function loadDemoSecrets(
  file: string,
  env?: Record<string, string | undefined>,
): { secrets: Record<string, string>; generated: string[]; file: string };
