import { Link } from 'react-router';
import { PageHeader } from '../components/PageHeader';

export function NotFoundScreen() {
  return (
    <>
      <PageHeader title="Page not found" />
      <p>
        There is no such page in the console. <Link to="/">Go to the start</Link>.
      </p>
    </>
  );
}
