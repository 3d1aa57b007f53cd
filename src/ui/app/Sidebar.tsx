// The navigation tree from the schema's layouts, with the schema's icons; groups holding
// the current page open.

import { useState } from 'react';
import { NavLink as RouterLink, useLocation } from 'react-router';
import type { SchemaDocument } from '../../shared/schema/types';
import { enterpriseNote, enterpriseOnly } from '../schema/edition';
import type { NavGroup, NavNode } from '../schema/nav';
import { iconFor } from './icons';

/** The schema's icon beside a label, when it names one. */
function NavIcon({ name }: { name?: string }) {
  if (!name) return null;
  const Icon = iconFor(name);
  return <Icon aria-hidden="true" size={16} className="nav-icon" />;
}

/** What the links need to say whether their page is enterprise-only here. */
interface Marks {
  doc: SchemaDocument;
  edition?: string;
}

function Group({ node, depth, marks }: { node: NavGroup; depth: number; marks: Marks }) {
  const { pathname } = useLocation();
  const holdsCurrent = pathname === node.path || pathname.startsWith(node.path + '/');
  const [open, setOpen] = useState(holdsCurrent);
  const id = `nav-${node.path.replace(/\//g, '-')}`;
  const expanded = open || holdsCurrent;
  return (
    <li>
      <button type="button" className="nav-group" aria-expanded={expanded} aria-controls={id} onClick={() => setOpen(!expanded)}>
        <span className="chevron" aria-hidden="true" />
        <NavIcon name={node.icon} />
        {node.name}
      </button>
      {expanded && <Tree id={id} nodes={node.children} depth={depth + 1} marks={marks} />}
    </li>
  );
}

function Tree({ nodes, depth, id, marks }: { nodes: NavNode[]; depth: number; id?: string; marks: Marks }) {
  return (
    <ul id={id} className={`nav-tree depth-${depth}`}>
      {nodes.map((n) =>
        n.kind === 'link' ? (
          <li key={n.path}>
            <RouterLink to={n.path} className="nav-link">
              <NavIcon name={n.icon} />
              {n.name}
              {enterpriseOnly(marks.doc, n.viewName, marks.edition) && <span className="field-note"> ({enterpriseNote()})</span>}
            </RouterLink>
          </li>
        ) : (
          <Group key={n.path} node={n} depth={depth} marks={marks} />
        ),
      )}
    </ul>
  );
}

export function Sidebar({ nav, doc, edition }: { nav: NavGroup[] } & Marks) {
  return (
    <>
      {nav.map((layout) => (
        <section key={layout.path} className="nav-section" aria-labelledby={`navh-${layout.path.slice(1)}`}>
          <h2 id={`navh-${layout.path.slice(1)}`} className="nav-heading">
            <NavIcon name={layout.icon} />
            {layout.name}
          </h2>
          <Tree nodes={layout.children} depth={0} marks={{ doc, edition }} />
        </section>
      ))}
    </>
  );
}
