import { Box, Typography } from '@material-ui/core';
import type { Weights } from '@greenlight/backstage-plugin-greenlight-common';

export const BLUE = '#1e88e5';
export const GREEN = '#43a047';

const SOURCES: Record<Weights['source'], string> = {
  route: 'live, from the route',
  status: "from the Canary's status: no route yet",
  none: 'no route yet',
};

/** The live split: blue (primary, serving) beside green (the revision under analysis). */
export function WeightBar({ weights }: { weights: Weights }) {
  const label = `Traffic: ${weights.blue}% blue (primary), ${weights.green}% green (canary)`;
  return (
    <Box>
      <Box
        role="img"
        aria-label={label}
        display="flex"
        height={16}
        borderRadius={4}
        overflow="hidden"
        bgcolor="#e0e0e0"
      >
        <Box width={`${weights.blue}%`} bgcolor={BLUE} />
        <Box width={`${weights.green}%`} bgcolor={GREEN} />
      </Box>
      <Typography variant="caption" color="textSecondary">
        blue {weights.blue}% · green {weights.green}% ({SOURCES[weights.source]})
      </Typography>
    </Box>
  );
}
