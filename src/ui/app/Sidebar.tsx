// The navigation tree from the schema's layouts; groups holding the current page open.

import { useState } from 'react';
import { NavLink as RouterLink, useLocation } from 'react-router';
import type { NavGroup, NavNode } from '../schema/nav';

function Group({ node, depth }: { node: NavGroup; depth: number }) {
  const { pathname } = useLocation();
  const holdsCurrent = pathname === node.path || pathname.startsWith(node.path + '/');
  const [open, setOpen] = useState(holdsCurrent);
  const id = `nav-${node.path.replace(/\//g, '-')}`;
  const expanded = open || holdsCurrent;
  return (
    <li>
      <button type="button" className="nav-group" aria-expanded={expanded} aria-controls={id} onClick={() => setOpen(!expanded)}>
        <span className="chevron" aria-hidden="true" />
        {node.name}
      </button>
      {expanded && <Tree id={id} nodes={node.children} depth={depth + 1} />}
    </li>
  );
}

function Tree({ nodes, depth, id }: { nodes: NavNode[]; depth: number; id?: string }) {
  return (
    <ul id={id} className={`nav-tree depth-${depth}`}>
      {nodes.map((n) =>
        n.kind === 'link' ? (
          <li key={n.path}>
            <RouterLink to={n.path} className="nav-link">
              {n.name}
            </RouterLink>
          </li>
        ) : (
          <Group key={n.path} node={n} depth={depth} />
        ),
      )}
    </ul>
  );
}

export function Sidebar({ nav }: { nav: NavGroup[] }) {
  return (
    <>
      {nav.map((layout) => (
        <section key={layout.path} className="nav-section" aria-labelledby={`navh-${layout.path.slice(1)}`}>
          <h2 id={`navh-${layout.path.slice(1)}`} className="nav-heading">
            {layout.name}
          </h2>
          <Tree nodes={layout.children} depth={0} />
        </section>
      ))}
    </>
  );
}
