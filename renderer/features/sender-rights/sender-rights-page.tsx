// Sender rights (issue 11 §3): "send as" grants and master users, the two exceptions to the rule
// that a user sends and logs in only as themself. The checks are the server's (sender identity on
// submission, the authenticator's authzid rule); this screen keeps the two lists.
import { PageHeader } from '../../components/page.js';
import { MasterUsers } from './master-users.js';
import { SendAsGrants } from './send-as-grants.js';

export function SenderRightsPage() {
  return (
    <>
      <PageHeader
        title="Sender rights"
        description="Users send only as their own addresses and the aliases that deliver to them, and log in only as themselves, unless you grant more here."
      />
      <SendAsGrants />
      <MasterUsers />
    </>
  );
}
