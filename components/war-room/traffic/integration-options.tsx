import { choiceLabel, type IntegrationChoice } from "@/lib/client/traffic-words";

/** The administrators' integrations of one type, as the options of a picker. */
export function IntegrationOptions({ choices }: { choices: IntegrationChoice[] }) {
  return (
    <>
      {choices.map((c) => (
        <option key={c.name} value={c.name}>
          {choiceLabel(c)}
        </option>
      ))}
    </>
  );
}
